"""The season's resource catalogue, the budgets behind it and the trainer pool.

HR keeps these in the Django admin (the platform has no service for them),
so the demo writes the rows directly, as it does the season itself. What
teams ask for and what they are granted goes through the services (see
``gestation``).
"""

from dataclasses import dataclass
from decimal import Decimal

from contests.models import (
    Racecourse,
    Resource,
    ResourceBudget,
    ResourceKind,
    ResourceUnit,
    Season,
    Trainer,
)
from horserace.accounts.models import User


@dataclass(frozen=True)
class ResourceSpec:
    key: str
    kind: str
    name: str
    unit: str
    description: str


#: One resource of each kind the horse race gives teams in gestation.
RESOURCES = [
    ResourceSpec(
        "credits",
        ResourceKind.SERVICE_TOOLS,
        "Cloud service credits",
        ResourceUnit.MONEY,
        "Credits (in yuan) for Cloud compute, storage and AI services and the "
        "internal tool licences a prototype needs.",
    ),
    ResourceSpec(
        "staging",
        ResourceKind.TEST_ENVIRONMENT,
        "Staging environment",
        ResourceUnit.SLOTS,
        "A production-like environment with masked data, two weeks per slot.",
    ),
    ResourceSpec(
        "vacation",
        ResourceKind.VACATION_DAYS,
        "Horse-race vacation",
        ResourceUnit.DAYS,
        "Working days off regular duties to work on the project, on full pay.",
    ),
    ResourceSpec(
        "training",
        ResourceKind.TRAINING,
        "Training drills",
        ResourceUnit.HOURS,
        "Workshops on customer interviews, prototyping, pitching and running "
        "experiments.",
    ),
    ResourceSpec(
        "legal",
        ResourceKind.LEGAL,
        "Legal consulting",
        ResourceUnit.HOURS,
        "Hours with the Group's lawyers: privacy, contracts, consumer law.",
    ),
    ResourceSpec(
        "financial",
        ResourceKind.FINANCIAL,
        "Financial consulting",
        ResourceUnit.HOURS,
        "Hours with a finance partner: business case, pricing, unit economics.",
    ),
    ResourceSpec(
        "trainer-hours",
        ResourceKind.TRAINER,
        "Extra trainer hours",
        ResourceUnit.HOURS,
        "Coaching by a horse-race trainer beyond the regular sessions.",
    ),
    ResourceSpec(
        "bonus",
        ResourceKind.BONUS,
        "Bonus money",
        ResourceUnit.MONEY,
        "Cash (in yuan) for prototypes, research incentives and travel.",
    ),
    ResourceSpec(
        "format-testing",
        ResourceKind.FORMAT_TESTING,
        "Format testing",
        ResourceUnit.SLOTS,
        "A test with real customers: an A/B test, a pilot store or a live-stream slot.",
    ),
]

#: Racecourse slug → resource key → budget. The main racecourse backs the
#: projects in gestation; the department racecourses and the farm keep
#: smaller budgets for the ideas they grow themselves.
BUDGETS = {
    "main": {
        "credits": 600_000,
        "staging": 12,
        "vacation": 400,
        "training": 240,
        "legal": 100,
        "financial": 100,
        "trainer-hours": 120,
        "bonus": 400_000,
        "format-testing": 24,
    },
    "taobao": {
        "credits": 150_000,
        "staging": 4,
        "vacation": 120,
        "training": 80,
        "legal": 20,
        "financial": 20,
        "trainer-hours": 40,
        "bonus": 100_000,
        "format-testing": 8,
    },
    "alipay": {
        "credits": 100_000,
        "staging": 3,
        "vacation": 80,
        "training": 60,
        "legal": 30,
        "financial": 30,
        "trainer-hours": 30,
        "bonus": 80_000,
        "format-testing": 4,
    },
    "farm": {
        "credits": 50_000,
        "staging": 2,
        "vacation": 60,
        "training": 40,
        "trainer-hours": 20,
        "format-testing": 2,
    },
}

#: The trainer pool: (person key, teams at most, expertise). Everyone with
#: the mentor role.
TRAINERS = [
    ("mentor", 3, "AI products, from prototype to launch"),
    ("wang.fang", 2, "Retail operations and supply chains"),
    ("zhu.tao", 3, "Cloud architecture and scaling"),
    ("yuan.chao", 2, "Data platforms and measurement"),
]


def catalogue_seed(
    *, season: Season, people: dict[str, User], racecourses: dict[str, Racecourse]
) -> tuple[dict[str, Resource], dict[str, Trainer]]:
    """The catalogue, budgets and trainer pool; resources and trainers by key."""
    resources = {
        spec.key: Resource.objects.create(
            season=season,
            kind=spec.kind,
            name=spec.name,
            unit=spec.unit,
            description=spec.description,
        )
        for spec in RESOURCES
    }
    ResourceBudget.objects.bulk_create(
        ResourceBudget(
            resource=resources[key],
            racecourse=racecourses[slug],
            amount=Decimal(amount),
        )
        for slug, amounts in BUDGETS.items()
        for key, amount in amounts.items()
    )
    trainers = {
        key: Trainer.objects.create(
            season=season, user=people[key], capacity=capacity, expertise=expertise
        )
        for key, capacity, expertise in TRAINERS
    }
    return resources, trainers
