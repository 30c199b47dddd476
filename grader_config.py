"""The course's settings for nbgrader: the one place for them (see nbgrader_config.py)."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the course package, also when it is not installed

from course.answers import SUFFIX  # noqa: E402
from course.grading.execute import CourseExecute  # noqa: E402
from course.grading.flags import WriteFlags  # noqa: E402
from course.grading.metadata import RepairMetadata  # noqa: E402
from course.grading.outside import ExportInsteadOfTests, FlagChangedTests, ScoreOutside  # noqa: E402
from course.paths import FEEDBACK_FILTERS, TEMPLATES  # noqa: E402
from course.preprocessors import ClearSolutionsWithBlanks, HideQuestionCode  # noqa: E402
import nbgrader  # noqa: E402
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.converters.generate_assignment import GenerateAssignment  # noqa: E402
from nbgrader.coursedir import CourseDirectory  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

c = get_config()  # noqa: F821

COURSE_ID = "bigdata-worker"
c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.root = str(ROOT)
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", str(ROOT / "exchange"))
if os.environ.get("COURSE_DB_URL"):  # a class on a hub keeps its gradebook in PostgreSQL; alone, SQLite
    c.CourseDirectory.db_url = os.environ["COURSE_DB_URL"]

# Answers saved by widgets are submitted with the notebook; an instructor's own answer
# file must never replace a learner's at autograde.
c.Autograde.exclude_overwriting = {
    folder.name: [f"{notebook.stem}{SUFFIX}" for notebook in folder.glob("*.ipynb")]
    for folder in (ROOT / "source").glob("*")
    if folder.is_dir()
}

# nbgrader's solution clearing, plus one-line blanks (``x = ___``); question code folded.
c.GenerateAssignment.preprocessors = [
    ClearSolutionsWithBlanks if step.__name__ == "ClearSolutions" else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()
] + [HideQuestionCode]

# The learner's own Fit2 data (07's optional my_data notebook, course.fit2.mydata.DATASET_FOLDER)
# stays on their own server or computer: it is never part of a submission.
c.CourseDirectory.ignore = [*CourseDirectory.class_traits()["ignore"].default(), "my_fit2_dataset"]

# A cell that runs longer than this (a learner's endless loop) is stopped and scores 0;
# the rest of the notebook is still graded.
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "60"))
c.Execute.interrupt_on_timeout = True

# Learner code is untrusted (README, "How grading is isolated"): nbgrader's Execute gives way to
# CourseExecute, whose kernels run in bubblewrap (course.grading.sandbox) within these limits;
# a notebook also has a total time and each cell an output cap. COURSE_SANDBOX=off grades
# unsandboxed, with a warning on every run: only for a self-learner's own computer.
c.SandboxedKernelManager.mode = os.environ.get("COURSE_SANDBOX", "require")  # require | auto | off
c.SandboxedKernelManager.bwrap = os.environ.get("COURSE_BWRAP", "/usr/bin/bwrap")
c.SandboxedKernelManager.memory_mb = int(os.environ.get("COURSE_MEMORY_MB", "1024"))  # per process
c.SandboxedKernelManager.total_memory_mb = int(os.environ.get("COURSE_TOTAL_MEMORY_MB", "1024"))  # all together (root)
c.SandboxedKernelManager.tasks = int(os.environ.get("COURSE_TASKS", "128"))  # processes and threads
c.SandboxedKernelManager.file_size_mb = int(os.environ.get("COURSE_FILE_SIZE_MB", "50"))
c.CourseExecute.notebook_timeout = int(os.environ.get("COURSE_NOTEBOOK_TIMEOUT", "600"))
c.CourseExecute.output_limit = int(os.environ.get("COURSE_OUTPUT_LIMIT_KB", "1024")) * 1024
# Grading flags (a dead kernel, a timeout, a cut output …) are written last, beside the notebook.
c.Autograde.autograde_preprocessors = [
    CourseExecute if step is Execute else step for step in Autograde.class_traits()["autograde_preprocessors"].default()
] + [WriteFlags]

# Hidden tests never run in the learner's kernel (course.grading.outside): the sanitising pass
# leaves in each graded test cell only a stub that exports the learner's values as data, and
# right after the kernel has run, the grader scores them in its own process, from source/.
# A learner's cell metadata of another nbgrader version would stop the whole batch: repaired first
# (course.grading.metadata).
c.Autograde.sanitize_preprocessors = [RepairMetadata, *Autograde.class_traits()["sanitize_preprocessors"].default(),
                                      ExportInsteadOfTests]
_steps = list(c.Autograde.autograde_preprocessors if "autograde_preprocessors" in c.Autograde
              else Autograde.class_traits()["autograde_preprocessors"].default())
_run = next(n for n, step in enumerate(_steps) if getattr(step, "__name__", str(step)).endswith("Execute"))
c.Autograde.autograde_preprocessors = [*_steps[:_run + 1], ScoreOutside, FlagChangedTests, *_steps[_run + 1:]]

# Library warnings on stderr would zero a correct test cell: drop them.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(FutureWarning|DeprecationWarning|UserWarning|RuntimeWarning)"

# Feedback in Korean with large text: the course's own "feedback" template is found
# before nbgrader's, for `generate_feedback` and the formgrader's button alike.
# nbgrader's own templates stay findable after it: the formgrader's pages need them.
c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]
c.HTMLExporter.filters = FEEDBACK_FILTERS
