from django import template
from django.utils.html import format_html

from ideas.markdown import render_markdown
from ideas.models import Stage

register = template.Library()

# The main line of the funnel, in order, for the progress strip.
FUNNEL_LINE = [
    Stage.DRAFT,
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
    Stage.REALIZED,
]


@register.filter
def markdown(text):
    return render_markdown(text)


@register.simple_tag
def stage_badge(stage):
    label = Stage(stage).label if stage in Stage.values else stage
    return format_html(
        '<span class="badge stage-badge stage-{}">{}</span>', stage, label
    )


@register.inclusion_tag("ideas/_funnel.html")
def funnel_progress(idea):
    """The funnel strip: done, current and later stages of the main line."""
    reached = {t.to_stage for t in idea.transitions.all()} | {Stage.DRAFT}
    steps = [
        {
            "label": stage.label,
            "state": "current"
            if stage == idea.stage
            else ("done" if stage in reached else "todo"),
        }
        for stage in FUNNEL_LINE
    ]
    off_line = idea.stage not in FUNNEL_LINE
    return {"steps": steps, "off_line": off_line, "idea": idea}


def _viewer(context):
    """The request's ``ideas.visibility.Viewer`` (None: no request)."""
    from ideas.visibility import viewer_for

    return viewer_for(context.get("request"))


@register.simple_tag(takes_context=True)
def reads_content(context, idea) -> bool:
    """``{% reads_content idea as readable %}``: may the viewer read its body?"""
    viewer = _viewer(context)
    return viewer is not None and viewer.reads_content(idea)


@register.simple_tag(takes_context=True)
def sees_team(context, idea) -> bool:
    """``{% sees_team idea as named %}``: may the viewer see who is behind it?"""
    viewer = _viewer(context)
    return viewer is not None and viewer.sees_names(idea)


@register.simple_tag(takes_context=True)
def team_person(context, person, idea):
    """A person acting for ``idea``'s team, or "the team" to a viewer who may
    not see who is behind it (``ideas.see_team``, decided in
    ``ideas.visibility``)."""
    from django.utils.translation import gettext

    if person is None:
        return ""
    return str(person) if sees_team(context, idea) else gettext("the team")
