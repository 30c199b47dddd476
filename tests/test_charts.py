"""Every chart of the course draws large text, also the ones a learner makes in one line."""
import plotly.express as px
import plotly.io as pio


def test_a_one_line_chart_gets_large_text_once_the_course_starts():
    before = pio.templates.default
    try:
        plain = px.line(x=[1, 2, 3], y=[6100, 7400, 5200])
        from course import charts

        charts.use_large_text()
        course = px.line(x=[1, 2, 3], y=[6100, 7400, 5200])
    finally:
        pio.templates.default = before
    assert plain.layout.template.layout.font.size != 18  # plotly's own small default
    assert course.layout.template.layout.font.size == 18
    assert course.layout.template.layout.hoverlabel.font.size == 18
