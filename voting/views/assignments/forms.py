"""The forms of the evaluation pages (only these pages use them)."""

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from horserace.accounts.models import User
from ideas.models import Idea
from voting.evaluation.assignments.pool import MAX_DEPTH, MAX_K, MAX_L
from voting.evaluation.assignments.selectors import evaluation_projects
from voting.evaluation.conflicts.automatic import DECLARED_KINDS

from ...models import EvaluatorPreference


def _person(user) -> str:
    department = getattr(user, "department", None)
    return f"{user} · {department}" if department else str(user)


class ConflictFields(forms.Form):
    kind = forms.ChoiceField(
        label=_lazy("Kind of conflict"),
        choices=[("", "---------"), *DECLARED_KINDS],
    )
    note = forms.CharField(
        label=_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Optional. Seen by HR and the racecourse admins."),
    )


class OwnConflictForm(ConflictFields):
    """An evaluator declares a conflict with a project of their pools."""

    idea = forms.ModelChoiceField(
        label=_lazy("Project"), queryset=Idea.objects.none(), empty_label=None
    )
    field_order = ["idea", "kind", "note"]

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = Idea.objects.filter(
            pk__in=[p.pk for p in projects]
        ).order_by("title")
        self.fields["idea"].label_from_instance = lambda idea: idea.title


class TeamConflictForm(ConflictFields):
    """The captain (or HR, an admin) names an evaluator of the pool."""

    evaluator = forms.ModelChoiceField(
        label=_lazy("Evaluator"), queryset=User.objects.none(), empty_label=None
    )
    field_order = ["evaluator", "kind", "note"]

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if evaluators is not None:
            self.fields["evaluator"].queryset = evaluators
        self.fields["evaluator"].label_from_instance = _person


class AdminConflictForm(TeamConflictForm):
    idea = forms.ModelChoiceField(
        label=_lazy("Project"), queryset=Idea.objects.none(), empty_label=None
    )
    field_order = ["idea", "evaluator", "kind", "note"]

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["idea"].queryset = projects
        self.fields["idea"].label_from_instance = lambda idea: idea.title


class SettingsForm(forms.Form):
    evaluators_per_project = forms.IntegerField(
        label=_lazy("Evaluators per project (k)"),
        min_value=1,
        max_value=MAX_K,
        help_text=_lazy("How many evaluators score each project."),
    )
    max_projects_per_evaluator = forms.IntegerField(
        label=_lazy("Projects per evaluator at most (L)"),
        min_value=1,
        max_value=MAX_L,
        help_text=_lazy("The automatic assignment never gives anyone more."),
    )
    conflict_same_department = forms.BooleanField(
        label=_lazy("Same department is a conflict"),
        required=False,
        help_text=_lazy(
            "An evaluator in the captain's department may not judge the project."
        ),
    )
    conflict_manager_depth = forms.IntegerField(
        label=_lazy("Management levels in conflict"),
        min_value=0,
        max_value=MAX_DEPTH,
        help_text=_lazy(
            "How far up each team member's management chain a conflict reaches: "
            "1 is the direct manager, 2 also their manager; 0 turns it off."
        ),
    )
    blind_evaluation = forms.BooleanField(
        label=_lazy("Blind evaluation"),
        required=False,
        help_text=_lazy("Evaluators do not see who is on the team."),
    )


class PoolAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_lazy("Evaluator"),
        queryset=User.objects.none(),
        help_text=_lazy("People with the evaluator role who are not in the pool."),
    )

    def __init__(self, *args, racecourse=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_evaluator=True, is_active=True)
            .exclude(evaluator_pools=racecourse)
            .select_related("department")
            .order_by("display_name")
        )
        self.fields["user"].label_from_instance = _person


class AssignForm(forms.Form):
    idea = forms.ModelChoiceField(
        label=_lazy("Project"), queryset=Idea.objects.none(), empty_label=None
    )
    evaluator = forms.ModelChoiceField(
        label=_lazy("Evaluator"), queryset=User.objects.none(), empty_label=None
    )
    override_load = forms.BooleanField(
        label=_lazy("Assign over the limit (L) if the evaluator is full"),
        required=False,
    )

    def __init__(self, *args, racecourse=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = evaluation_projects(racecourse=racecourse)
        self.fields["idea"].label_from_instance = lambda idea: idea.title
        self.fields["evaluator"].queryset = racecourse.evaluators.order_by(
            "display_name"
        )


class PreferenceForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_lazy("Preference"),
        choices=EvaluatorPreference.Level.choices,
        coerce=int,
    )
