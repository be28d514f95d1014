"""The gestation stories as data: what each main-racecourse project asked for,
who coached it, its milestones and updates, and what its proposal says.

Plain data, no database; ``gestation`` writes it through the services.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Ask:
    """A resource request and what became of it.

    ``decision``: ``None`` (still waiting), ``("grant", amount or None, note)``,
    ``("decline", reason)`` or ``("ask", question, answer or None)`` (an
    unanswered question leaves the request waiting for the team).
    """

    resource: str
    amount: int
    why: str
    decision: tuple | None = None
    decider: str = "zhou.min"


@dataclass(frozen=True)
class Story:
    asks: tuple[Ask, ...] = ()
    trainer: str = ""  # key of the trainer assigned
    #: The team asked for its trainer by name first (or for anyone: "").
    asked_for_trainer: str | None = None
    trainer_message: str = ""
    sessions: tuple[tuple[int, int, str, str], ...] = ()  # days ago, minutes, …
    #: (title, due in days from now, done)
    milestones: tuple[tuple[str, int, bool], ...] = ()
    #: (author key, body, index of the milestone it reports done, or None)
    updates: tuple[tuple[str, str, int | None], ...] = ()
    #: What gestation taught the team; with it the proposal is handed in.
    learned: str = ""
    summary: str = ""


PROPOSAL = """## The problem

{problem}

## What we propose

{proposal}

## What gestation taught us

{learned}

## What we ask for in realization

Staged funding released against milestones, and the time of the people named
in the team.
"""

STORIES: dict[str, Story] = {
    # --- still in gestation -------------------------------------------------------
    "Voice ordering for elderly shoppers": Story(
        asks=(
            Ask(
                "staging",
                2,
                "Two slots to try dialect recognition on real search traffic.",
                ("grant", None, "Granted in full. The Search team will set them up."),
            ),
            Ask(
                "format-testing",
                6,
                "Pilots with shoppers over 60 in six cities.",
                (
                    "grant",
                    4,
                    "Four pilot cities now; ask again with the first results.",
                ),
            ),
            Ask(
                "legal",
                12,
                "Recording voices of older shoppers needs consent done right.",
                decider="racecourse-admin",
            ),
        ),
        trainer="mentor",
        asked_for_trainer="mentor",
        trainer_message="We would love someone who has shipped a voice product.",
        sessions=(
            (
                18,
                90,
                "Scoping the pilot",
                "Agreed to start with three dialects and the top 200 grocery items.",
            ),
            (
                5,
                60,
                "Reading the first recognition results",
                "Error rate is fine for Mandarin, weak for Cantonese. Collect more "
                "samples before the pilot.",
            ),
        ),
        milestones=(
            ("Dialect test set recorded", -10, True),
            ("Prototype with big-button confirmation", 5, True),
            ("Pilot with 200 shoppers over 60", 30, False),
            ("Final proposal handed in", 55, False),
        ),
        updates=(
            (
                "huang.ting",
                "1,200 sentences recorded in Mandarin, Cantonese and Sichuanese.",
                0,
            ),
            (
                "employee",
                "The prototype works end to end: say it, hear the choices, tap the "
                "big button. My parents managed it on the first try.",
                1,
            ),
            ("sun.yue", "Search will give us a 5% traffic slice for the pilot.", None),
        ),
    ),
    "Database autopilot for small shops": Story(
        asks=(
            Ask(
                "credits",
                80_000,
                "Managed database instances for 40 volunteer shops for three months.",
                (
                    "ask",
                    "Which services would the credits pay for, and could the shops "
                    "pay part of it after the pilot?",
                    "Database and monitoring instances only. After the pilot the "
                    "shops pay the normal price; we only cover the trial.",
                ),
                decider="racecourse-admin",
            ),
        ),
        asked_for_trainer="",
        trainer_message="We need someone who has taken a product to small merchants.",
        milestones=(
            ("Load model from three shops' traffic", -5, True),
            ("Automatic restore drill with a plain-words report", 25, False),
        ),
        updates=(
            (
                "peter.fan",
                "The load model predicted last Double 11's peak within 8%.",
                0,
            ),
        ),
    ),
    "Village parcel lockers": Story(
        asks=(
            Ask(
                "bonus",
                120_000,
                "Forty lockers for the first three villages.",
                (
                    "ask",
                    "What does one locker cost, and who looks after it once it "
                    "stands in the village shop?",
                    None,
                ),
            ),
            Ask(
                "vacation",
                30,
                "Three weeks in the pilot villages for two of us.",
                (
                    "grant",
                    20,
                    "Twenty days: two weeks for one, one week for the other.",
                ),
            ),
        ),
        milestones=(
            ("Pick three pilot villages", -12, True),
            ("Agreement with the village shops", 20, False),
        ),
        updates=(
            (
                "du.xiang",
                "Three villages in Zhejiang chosen; their shops open every day.",
                0,
            ),
        ),
    ),
    "Fresh produce demand forecast": Story(
        asks=(
            Ask(
                "bonus",
                50_000,
                "Weather data subscriptions and a dashboard contractor.",
                (
                    "decline",
                    "The weather data is already licensed by the Group and the "
                    "dashboard can be built in-house. Ask for staging slots "
                    "instead if you need them.",
                ),
                decider="hr",
            ),
            Ask(
                "training",
                16,
                "Two days of experiment design for the three of us.",
                ("grant", None, ""),
            ),
            Ask(
                "financial",
                8,
                "Working out what a 5% cut in waste is worth per store.",
                ("grant", None, "A finance partner from Tmall Supermarket will call."),
            ),
        ),
        trainer="mentor",
        sessions=(
            (
                9,
                60,
                "Which stores to pilot in",
                "Pick stores with stable managers; avoid the ones being refitted.",
            ),
        ),
        milestones=(
            ("Backtest on last year's sales", -7, True),
            ("Pilot in five stores", 35, False),
        ),
        updates=(
            (
                "gao.peng",
                "Backtest done: 23% less waste on leafy greens, no more empty shelves.",
                0,
            ),
            (
                "sophie.tang",
                "Store managers want the suggestion by 6 a.m.; we are moving the run.",
                None,
            ),
        ),
    ),
    # --- moved on to offline evaluation and beyond ---------------------------------
    "Returnable parcel boxes": Story(
        asks=(
            Ask(
                "format-testing",
                4,
                "Box returns in four Hangzhou districts.",
                ("grant", None, ""),
            ),
            Ask(
                "bonus",
                100_000,
                "5,000 prototype boxes and the deposit refunds.",
                ("grant", 80_000, "80,000 now; the deposits come back to you."),
                decider="hr",
            ),
        ),
        trainer="yuan.chao",
        sessions=(
            (
                25,
                60,
                "Measuring reuse",
                "Count every scan; report reuse per box, not per household.",
            ),
        ),
        milestones=(
            ("1,000 households sign up", -20, True),
            ("Boxes reused ten times on average", -3, True),
        ),
        updates=(
            ("nina.qiu", "1,340 households signed up in the first week.", 0),
            ("ren.hao", "Average box is on its 11th trip; 2% lost.", 1),
        ),
        learned="Households return 96% of boxes when the courier asks in person; "
        "a deposit of ¥2 is enough.",
        summary="Reusable boxes with a deposit, collected by couriers on their next "
        "delivery, to cut single-use packaging across the Group.",
    ),
    "Seller copilot for customer service": Story(
        asks=(
            Ask(
                "credits",
                150_000,
                "Model serving for 500 pilot sellers.",
                ("grant", None, "Granted; talk to Cloud AI about reserved GPUs."),
            ),
            Ask(
                "staging",
                2,
                "A safe copy of seller chats to tune on.",
                ("grant", None, ""),
            ),
        ),
        trainer="zhu.tao",
        sessions=(
            (
                22,
                90,
                "Serving costs",
                "Batch the drafts; a smaller model is enough for most questions.",
            ),
        ),
        milestones=(
            ("500 sellers in the pilot", -18, True),
            ("Half of the answers sent without edits", -4, True),
        ),
        updates=(
            ("emma.wang", "512 sellers enrolled; 40,000 drafts the first week.", 0),
            ("ma.lin", "58% of drafts now go out unedited.", 1),
        ),
        learned="Sellers trust drafts that quote their own product pages; answers "
        "the model is unsure about must go to a person.",
        summary="A copilot that drafts customer-service answers from each seller's "
        "own catalogue and chats; the seller sends, edits or declines.",
    ),
    "Village livestream studios": Story(
        asks=(
            Ask(
                "training",
                24,
                "A streaming course for the village hosts.",
                ("grant", None, ""),
            ),
            Ask(
                "vacation",
                40,
                "Four weeks in the villages to train the hosts.",
                ("grant", None, "Enjoy the villages."),
                decider="racecourse-admin",
            ),
        ),
        trainer="wang.fang",
        sessions=(
            (
                20,
                60,
                "Picking produce that streams well",
                "Fruit and tea sell; grain does not. Start with what looks good.",
            ),
        ),
        milestones=(
            ("Ten village hosts trained", -15, True),
            ("First ¥100,000 of sales", -2, True),
        ),
        updates=(
            ("he.jing", "Ten hosts trained; two streamed on their own already.", 0),
            ("xu.hao", "¥134,000 of oranges and tea sold in the first month.", 1),
        ),
        learned="Villages sell when one young host streams every evening at the same "
        "hour; the regional slot on Taobao Live doubles the audience.",
        summary="A studio kit, a two-day course and an evening slot on Taobao Live "
        "for every pilot village, with pick-ups twice a week.",
    ),
    "Instant refunds for trusted buyers": Story(
        asks=(
            Ask(
                "legal",
                20,
                "Consumer-law review of refunding before the return arrives.",
                ("grant", None, ""),
                decider="hr",
            ),
            Ask(
                "financial",
                16,
                "Sizing the guarantee fund.",
                (
                    "grant",
                    12,
                    "Twelve hours should cover the model; ask for more later.",
                ),
                decider="hr",
            ),
        ),
        trainer="zhu.tao",
        sessions=(
            (16, 60, "Trust score fairness", "Check new accounts are not hurt."),
        ),
        milestones=(
            ("Trust score back-tested on 2025 disputes", -14, True),
            ("Guarantee fund sized", -6, True),
        ),
        updates=(
            ("olivia.song", "Back-test: 0.3% of instant refunds would be abused.", 0),
            ("zheng.kai", "A fund of ¥5 million covers the worst month we saw.", 1),
        ),
        learned="The top trust tier abuses instant refunds less than 0.3% of the "
        "time; a guarantee fund covers merchants for less than the support cost "
        "of slow refunds.",
        summary="Refund buyers with a long honest history at once for orders under "
        "¥200, with merchants covered by a guarantee fund.",
    ),
    "Night-shift robot coaching": Story(
        asks=(
            Ask("staging", 1, "A copy of the routing system.", ("grant", None, "")),
            Ask(
                "trainer-hours",
                10,
                "Extra hours on reinforcement learning.",
                ("grant", None, ""),
            ),
        ),
        trainer="mentor",
        sessions=(
            (
                21,
                60,
                "From recorded paths to a routing model",
                "Imitation first; reinforcement learning only if imitation stalls.",
            ),
        ),
        milestones=(
            ("Record 10,000 peak-hour picking paths", -16, True),
            ("Routing model beats shortest path in simulation", -5, True),
        ),
        updates=(
            ("lucas.zhou", "12,400 paths recorded over two weeks of night shifts.", 0),
            ("kong.jia", "Simulation: 14% fewer robot jams at peak.", 1),
        ),
        learned="Congestion, not distance, decides picking time at peak; the "
        "pickers' routes avoid it without being told.",
        summary="Train warehouse routing on the paths the best night-shift pickers "
        "take, so robots avoid jams at peak.",
    ),
    "Cross-border size finder": Story(
        asks=(
            Ask(
                "format-testing",
                4,
                "A/B tests on four cross-border stores.",
                ("grant", 2, "Two stores first."),
            ),
            Ask(
                "credits",
                30_000,
                "Matching service for the tests.",
                ("grant", None, ""),
            ),
        ),
        trainer="yuan.chao",
        sessions=((19, 45, "Measuring returns", "Compare return rates per brand."),),
        milestones=(
            ("Size map for 50 brands", -12, True),
            ("A/B test in two stores", -3, True),
        ),
        updates=(
            ("ryan.cao", "Size map covers 52 brands from Europe and Japan.", 0),
            ("yang.xue", "Returns for size fell from 24% to 17% in the test.", 1),
        ),
        learned="One garment the buyer owns is enough to predict the size in 80% of "
        "cases; brands with vanity sizing need their own tables.",
        summary="Recommend a size in a foreign brand from a garment the buyer "
        "already owns, learned from our return data.",
    ),
    "Carbon ledger for merchants": Story(
        asks=(
            Ask(
                "financial",
                10,
                "Pricing the greener delivery options.",
                ("grant", None, ""),
            ),
            Ask(
                "training",
                8,
                "Customer interviews with merchants.",
                ("grant", None, ""),
            ),
        ),
        trainer="zhu.tao",
        sessions=((12, 60, "What merchants act on", "Show one action, not a report."),),
        milestones=(
            ("Footprint model per order", -10, True),
            ("Twenty merchants interviewed", -4, True),
        ),
        updates=(
            ("michael.yu", "The model is within 10% of a full audit for apparel.", 0),
            ("tang.wen", "17 of 20 merchants would show the greener option.", 1),
        ),
        learned="Merchants act on a single suggestion at checkout, not on a "
        "footprint report.",
        summary="Show each merchant the footprint of every order and offer buyers a "
        "greener delivery at checkout, with the saving shown.",
    ),
    "Virtual fitting rooms in 3D": Story(
        asks=(
            Ask(
                "bonus",
                150_000,
                "A 3D body scanning rig for the studio.",
                (
                    "decline",
                    "A rig for one studio does not tell us whether buyers will "
                    "use it at home. Test with phone photos first.",
                ),
                decider="hr",
            ),
            Ask(
                "credits",
                200_000,
                "GPU time for cloth simulation.",
                ("grant", 60_000, "Enough for the test set; scale after the results."),
            ),
        ),
        trainer="wang.fang",
        sessions=((17, 60, "Cost per user", "Know the GPU cost of one try-on."),),
        milestones=(
            ("Avatar from two phone photos", -11, True),
            ("Try-on for 100 garments", -2, True),
        ),
        updates=(("yang.xue", "Avatars work from two photos for most people.", 0),),
        learned="Try-ons look right, but one costs ¥1.80 in GPU time and buyers use "
        "it once per purchase.",
        summary="Try clothes on a 3D avatar built from two photos, with cloth "
        "simulated for each garment.",
    ),
}
