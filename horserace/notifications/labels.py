"""What the preferences page calls each area and kind, for events declared
before ``Event.label`` existed.

An event with its own ``label`` (or ``area``) never reads these: they are the
fall-back, keyed by the stored kind (kinds are never renamed), so this module
names no app and imports nothing but translations. A kind missing here gets a
label made from its last word (``events.Event.get_label``).
"""

from django.utils.translation import gettext_lazy as _

AREA_LABELS = {
    "ideas.team": _("Teams"),
    "ideas.stage": _("Your ideas"),
    "ideas.idea": _("Your ideas"),
    "ideas.access": _("Confidential ideas"),
    "ideas.gestation": _("Gestation"),
    "ideas.realization": _("Realization"),
    "ideas.discussion": _("Discussion"),
    "voting.screening": _("Screening"),
    "voting.evaluation": _("Evaluation"),
    "contests": _("Racecourses and seasons"),
}

KIND_LABELS = {
    "ideas.access.opened": _("HR or an admin opened your confidential idea"),
    "ideas.access.unmasked": _("Your anonymous team was unmasked"),
    "ideas.gestation.extension_granted": _("Proposal deadline extended"),
    "ideas.gestation.progress_posted": _("A team you coach posted progress"),
    "ideas.gestation.proposal_submitted": _("A final proposal was submitted"),
    "ideas.gestation.proposals_missing": _("Proposals missing at a close"),
    "ideas.gestation.resource_answered": _("A team answered about a resource"),
    "ideas.gestation.resource_declined": _("Resource request declined"),
    "ideas.gestation.resource_granted": _("Resource request granted"),
    "ideas.gestation.resource_question": _("A question about a resource request"),
    "ideas.gestation.resource_requested": _("A team requested a resource"),
    "ideas.gestation.team_trainer_assigned": _("A trainer was assigned to your team"),
    "ideas.gestation.trainer_assigned": _("You were assigned as a trainer"),
    "ideas.gestation.trainer_declined": _("A trainer request was declined"),
    "ideas.gestation.trainer_ended": _("A coaching assignment ended"),
    "ideas.gestation.trainer_requested": _("A team requested a trainer"),
    "ideas.gestation.trainer_session": _("A coaching session was logged"),
    "ideas.idea.promoted": _("Your idea was promoted"),
    "ideas.realization.allocation_approved": _("A time allocation was approved"),
    "ideas.realization.allocation_declined": _("A time allocation was declined"),
    "ideas.realization.allocation_proposed": _("A report's time allocation awaits you"),
    "ideas.realization.allocation_proposed_member": _(
        "Your time allocation was proposed"
    ),
    "ideas.realization.outcome_recorded": _("An outcome was recorded"),
    "ideas.realization.plan_created": _("An investment plan was created"),
    "ideas.realization.tranche_released": _("A tranche was released"),
    "ideas.realization.tranche_review_submitted": _("A tranche review was submitted"),
    "ideas.realization.tranche_sent_back": _("A tranche review was sent back"),
    "ideas.stage.changed": _("Your idea moved to another stage"),
    "ideas.team.captaincy_given": _("You became a captain"),
    "ideas.team.invitation_accepted": _("An invitation was accepted"),
    "ideas.team.invitation_declined": _("An invitation was declined"),
    "ideas.team.invited": _("An invitation to join a team"),
    "ideas.team.join_accepted": _("Your request to join was accepted"),
    "ideas.team.join_declined": _("Your request to join was declined"),
    "ideas.team.join_requested": _("Someone asks to join your team"),
    "ideas.team.member_left": _("A member left your team"),
    "ideas.team.member_removed": _("You were removed from a team"),
    "voting.evaluation.conflict_recorded": _("A conflict of interest was recorded"),
    "voting.evaluation.evaluator_lost": _("A project lost its evaluator"),
    "voting.evaluation.panel_decided": _("The panel decided on your project"),
    "voting.evaluation.pool_joined": _("You joined an evaluator pool"),
    "voting.evaluation.pool_left": _("You left an evaluator pool"),
    "voting.evaluation.project_unassigned": _("A project was taken off your list"),
    "voting.evaluation.projects_assigned": _("Projects to evaluate"),
}
