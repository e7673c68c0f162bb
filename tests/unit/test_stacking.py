"""The phone copy of a figure (sitebuild.stacking) and the <picture> that serves it (sitepages/layout.py)."""

from __future__ import annotations

import io

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sitebuild.stacking import MIN_TEXT_PX, smallest_text_pt, stacked_copy, text_px_at_phone_width  # noqa: E402
from sitepages import layout  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def svg(fig) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # real <text>, as the build writes (figures.SVG_RC)
        fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def two_panels(**options):
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True, **options)
    for ax in axes:
        ax.plot([0, 1], [0, 1], label="a line with a long label that a narrow panel cannot hold on one line")
        ax.legend()
    return fig, axes


def test_side_by_side_panels_are_stacked_in_a_legible_copy_and_the_original_is_untouched():
    fig, _ = two_panels()
    copy, reason = stacked_copy(fig, svg(fig))
    assert reason == "" and copy is not None
    assert tuple(fig.get_size_inches()) == (10, 4)
    first, second = sorted(copy.axes, key=lambda ax: ax.get_position().y0, reverse=True)
    assert first.get_position().y0 > second.get_position().y1, "the panels should sit one above the other"
    assert second.yaxis.get_tick_params()["labelleft"], "sharey hid the right panel's labels; stacked, it needs them"
    assert text_px_at_phone_width(smallest_text_pt(svg(copy)), copy.get_figwidth()) >= MIN_TEXT_PX
    legend, panel = copy.axes[0].get_legend(), copy.axes[0]
    assert legend.get_window_extent().width <= panel.get_window_extent().width, "the legend should wrap to its panel"


def test_a_figure_legible_on_a_phone_gets_no_copy():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1])
    assert stacked_copy(fig, svg(fig)) == (None, "")


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda fig, axes: fig.colorbar(axes[0].imshow([[0, 1]]), ax=axes[0]), "grid"),
        (lambda fig, axes: fig.legend(["x"]), "figure-level legend"),
        (lambda fig, axes: fig.add_axes((0.1, 0.1, 0.2, 0.2)), "outside the subplot grid"),
    ],
    ids=["colorbar", "figure legend", "free axes"],
)
def test_a_figure_that_cannot_be_stacked_says_why(spoil, words):
    fig, axes = two_panels()
    spoil(fig, axes)
    copy, reason = stacked_copy(fig, svg(fig))
    assert copy is None and words in reason


IMG = (
    '<img alt="Two panels" src="../../generated/a/cell-1-fig-1-dark.svg#only-dark" loading="lazy" '
    'width="960" height="384" data-narrow-media="(max-width: 680px)" data-narrow-size="384x614" />'
)


def test_a_marked_image_becomes_a_picture_with_its_narrow_variant():
    out = layout.pictures(f"<p>{IMG}</p>", "a.md")
    assert out == (
        '<p><picture><source media="(max-width: 680px)" srcset="../../generated/a/cell-1-fig-1-dark-narrow.svg"'
        ' width="384" height="614"><img alt="Two panels" src="../../generated/a/cell-1-fig-1-dark.svg#only-dark"'
        ' loading="lazy" width="960" height="384"></picture></p>'
    )


def test_a_marked_image_without_a_size_is_an_error_naming_the_page():
    with pytest.raises(layout.LayoutError, match="a.md"):
        layout._picture(IMG.replace('data-narrow-size="384x614" ', "")[5:], "a.md")
