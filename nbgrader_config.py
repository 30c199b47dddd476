c = get_config()  # noqa: F821  (nbgrader's JupyterLab extensions only read this file name)
load_subconfig("grader_config.py")  # noqa: F821
