"""The demo ideas as data, and how far each one got through the funnel."""

from dataclasses import dataclass


@dataclass(frozen=True)
class IdeaSpec:
    """One demo idea and how far it got.

    ``stage`` is where the funnel leaves it. ``via`` says where an eliminated
    idea fell out ("screening" or "evaluation") or where a withdrawn one was
    withdrawn from ("draft" or "registered"). ``outcome`` is the reason given
    at the last step.
    """

    racecourse: str
    captain: str
    title: str
    pitch: str
    problem: str
    proposal: str
    stage: str
    challenge: str | None = None
    members: tuple[str, ...] = ()
    joiners: tuple[str, ...] = ()  # joined by asking, after registration
    invited: tuple[str, ...] = ()  # invitations still pending
    asking: tuple[str, ...] = ()  # join requests still pending
    visibility: str = "everyone"
    # Judged by everyone in online screening; ``visibility`` only from
    # gestation on, when the team's proposal got confidential.
    screened_openly: bool = False
    anonymous: bool = False
    via: str = ""
    outcome: str = ""
    merge_into: str = ""  # title of the idea a merged idea folds into
    # In screening: the share of voters who support it (demo ballots).
    appeal: float = 0.5


def _md(*bullets: str, lead: str = "") -> str:
    lines = [lead, ""] if lead else []
    return "\n".join(lines + [f"- {b}" for b in bullets])


IDEAS = [
    # --- realized -------------------------------------------------------
    IdeaSpec(
        "main",
        "wei.dong",
        "Returnable parcel boxes",
        "Couriers collect yesterday's box when they deliver today's parcel.",
        "Last year we shipped 1.2 billion single-use boxes; most were thrown "
        "away the same day.",
        _md(
            "Sturdy boxes with a QR code, deposit of ¥2 refunded on return.",
            "Couriers scan the returned box on their next visit.",
            "Boxes are cleaned at the sorting centre and reused 30 times.",
            lead="**Pilot** in Hangzhou with 40,000 households.",
        ),
        "realized",
        challenge="carbon",
        members=("nina.qiu", "ren.hao"),
        joiners=("pan.rui",),
        outcome="Running in 40 cities; 18 million boxes reused so far.",
        appeal=0.86,
    ),
    IdeaSpec(
        "main",
        "jiang.yu",
        "Seller copilot for customer service",
        "Drafts answers for sellers from their own catalogue and past chats.",
        "A seller with 3 staff gets 2,000 questions a day during promotions.",
        _md(
            "A model tuned on the seller's product pages and order history.",
            "The seller approves, edits or sends the draft with one tap.",
            "Answers it is unsure about are always left to a person.",
        ),
        "realized",
        challenge="ai-service",
        members=("emma.wang", "ma.lin"),
        outcome="Adopted by Seller Services; in use by 120,000 sellers.",
        appeal=0.8,
    ),
    # --- realization --------------------------------------------------------
    IdeaSpec(
        "main",
        "amy.zhang",
        "Village livestream studios",
        "A phone, a ring light and a trainer in every pilot village.",
        "Farmers sell through three middlemen and keep a fifth of the price.",
        _md(
            "Kits and a two-day course for one young person per village.",
            "Taobao Live gives village streams a regional slot every evening.",
            "Logistics picks up from the village shop twice a week.",
        ),
        "realization",
        challenge="rural",
        members=("xu.hao", "he.jing"),
        joiners=("nina.qiu",),
        outcome="Selected; Taobao Live adopts it and the captain works on it "
        "full time.",
        appeal=0.7,
    ),
    IdeaSpec(
        "main",
        "zheng.kai",
        "Instant refunds for trusted buyers",
        "Refund first, check later, for buyers with a long honest history.",
        "Honest buyers wait 5 days for refunds on low-value orders.",
        _md(
            "A trust score from ten years of order and dispute history.",
            "Refunds under ¥200 are paid at once for the top tier.",
            "Merchants are covered by an Alipay guarantee fund.",
        ),
        "realization",
        members=("olivia.song",),
        visibility="confidential",
        screened_openly=True,
        outcome="Selected; funding released in three stages.",
        appeal=0.62,
    ),
    # --- evaluation ---------------------------------------------------------
    IdeaSpec(
        "main",
        "kong.jia",
        "Night-shift robot coaching",
        "Warehouse robots learn routes from the night shift's best pickers.",
        "Robots take the shortest path, not the one that avoids congestion.",
        _md(
            "Record the paths experienced pickers take at peak hours.",
            "Train the routing model on them, not only on distance.",
        ),
        "evaluation",
        members=("lucas.zhou",),
        appeal=0.66,
    ),
    IdeaSpec(
        "main",
        "jason.lee",
        "Cross-border size finder",
        "Tells you your size in a foreign brand from what you already own.",
        "One in four cross-border clothing orders is returned for size.",
        _md(
            "Buyers pick a garment they own that fits well.",
            "We map sizes across brands from return data.",
        ),
        "evaluation",
        members=("yang.xue", "ryan.cao"),
        appeal=0.72,
    ),
    IdeaSpec(
        "main",
        "tang.wen",
        "Carbon ledger for merchants",
        "Shows each merchant the footprint of every order, and how to cut it.",
        "Merchants want to go green but cannot measure where to start.",
        _md(
            "Estimate emissions per order from packaging, route and product.",
            "Offer greener options at checkout with their saving shown.",
        ),
        "evaluation",
        challenge="carbon",
        members=("michael.yu",),
        appeal=0.6,
    ),
    # --- gestation ----------------------------------------------------------
    IdeaSpec(
        "main",
        "huang.ting",
        "Voice ordering for elderly shoppers",
        "Say what you need; the app finds it and reads the choices aloud.",
        "Typing and tiny buttons keep older people from shopping alone.",
        _md(
            "Dialect-aware speech recognition from Cloud AI.",
            "Big-button confirmation; a family member can approve payment.",
        ),
        "gestation",
        members=("sun.yue", "employee"),
        appeal=0.78,
    ),
    IdeaSpec(
        "main",
        "peter.fan",
        "Database autopilot for small shops",
        "Shop back ends that tune, back up and scale themselves.",
        "Small shops crash on promotion days because nobody tunes their database.",
        _md(
            "Watch query load and scale before the peak.",
            "Daily restore drills, reported in plain words.",
        ),
        "gestation",
        members=("shen.lu",),
        asking=("tony.guo",),
        appeal=0.64,
    ),
    IdeaSpec(
        "main",
        "du.xiang",
        "Village parcel lockers",
        "Shared lockers at the village shop, filled on one weekly run.",
        "Couriers drive an hour to deliver one parcel to a village.",
        _md("Lockers at village shops.", "One combined weekly delivery run."),
        "gestation",
        challenge="rural",
        members=("wei.dong",),
        appeal=0.74,
    ),
    IdeaSpec(
        "main",
        "liu.yang",
        "Fresh produce demand forecast",
        "Order tomorrow's vegetables from tomorrow's weather and festivals.",
        "A fifth of fresh produce in our supermarkets is thrown away.",
        _md("Forecast per store and per item.", "Suggest order quantities daily."),
        "gestation",
        members=("gao.peng", "sophie.tang"),
        appeal=0.68,
    ),
    # --- screening ----------------------------------------------------------
    IdeaSpec(
        "taobao",
        "sophie.tang",
        "Recipe to basket",
        "Paste any recipe; get the ingredients in your basket.",
        "Cooks switch between recipe apps and the supermarket app.",
        _md("Parse ingredients and quantities.", "Match them to store items."),
        "screening",
        invited=("kevin.wu",),
        appeal=0.65,
    ),
    IdeaSpec(
        "taobao",
        "emma.wang",
        "Sign-language live commerce",
        "Automatic sign-language avatars for livestream shopping.",
        "Deaf shoppers cannot follow livestreams, our fastest-growing channel.",
        _md("Real-time speech to sign-language animation.", "Captions as fallback."),
        "screening",
        members=("he.jing",),
        appeal=0.5,
    ),
    IdeaSpec(
        "taobao",
        "ryan.cao",
        "Duty-free pre-order at the airport",
        "Order before you fly, collect at the gate.",
        "Travellers have 20 minutes in the duty-free shop and long queues.",
        _md("Pre-order in the app.", "Pick-up lockers at the gate."),
        "screening",
        appeal=0.42,
    ),
    IdeaSpec(
        "taobao",
        "lucas.zhou",
        "Packaging that fits the product",
        "Cut each box to size on the packing line.",
        "A third of every box we ship is air.",
        _md("Box-cutting machines on the line.", "Sizes from the product catalogue."),
        "screening",
        anonymous=True,
        appeal=0.68,
    ),
    IdeaSpec(
        "taobao",
        "michael.yu",
        "Round-up savings for young workers",
        "Round every payment up and invest the change.",
        "Young workers save little and find funds intimidating.",
        _md("Opt-in round-up to the nearest ¥5.", "A low-risk money-market fund."),
        "screening",
        appeal=0.38,
    ),
    IdeaSpec(
        "taobao",
        "shen.lu",
        "Seller FAQ from returns",
        "Turn return reasons into answers shown before people buy.",
        "Sellers answer the same pre-sale questions thousands of times.",
        _md("Cluster return reasons.", "Generate FAQ entries for the product page."),
        "screening",
        appeal=0.58,
    ),
    # --- eliminated ---------------------------------------------------------
    IdeaSpec(
        "main",
        "pan.rui",
        "Drone delivery for city centres",
        "Deliver small parcels by drone from rooftop hubs.",
        "City-centre deliveries are slow in traffic.",
        _md("Rooftop hubs.", "Drones for parcels under 2 kg."),
        "eliminated",
        via="screening",
        outcome="Voted down in online screening.",
        appeal=0.2,
    ),
    IdeaSpec(
        "main",
        "yang.xue",
        "Virtual fitting rooms in 3D",
        "Try clothes on a 3D avatar of yourself.",
        "Buyers cannot tell how clothes will look on them.",
        _md("Body scan from two photos.", "Cloth simulation for each garment."),
        "eliminated",
        via="evaluation",
        outcome="Not selected: the panel judged the cost per user too high for now.",
        appeal=0.92,
    ),
    # --- withdrawn ----------------------------------------------------------
    IdeaSpec(
        "main",
        "gao.peng",
        "Supermarket self-checkout by camera",
        "Walk out with your basket; cameras do the checkout.",
        "Queues at checkout are the top complaint in our stores.",
        _md("Ceiling cameras.", "Automatic payment on exit."),
        "withdrawn",
        via="registered",
        outcome="Withdrawn: we joined forces with the forecasting team instead.",
    ),
    IdeaSpec(
        "farm",
        "xu.hao",
        "Livestream replay highlights",
        "Two-minute highlights of every three-hour livestream.",
        "Nobody watches a three-hour replay.",
        _md("Detect product moments.", "Cut and caption them automatically."),
        "withdrawn",
        via="draft",
        outcome="Withdrawn: Taobao Live already ships this.",
    ),
    # --- merged -------------------------------------------------------------
    IdeaSpec(
        "main",
        "nina.qiu",
        "Courier pick-up of used boxes",
        "Couriers take back empty boxes on their rounds.",
        "Boxes pile up in homes and end up as waste.",
        _md("Collect boxes on delivery.", "Send them back to the sorting centre."),
        "merged",
        merge_into="Returnable parcel boxes",
        outcome="Same idea as the returnable boxes; the teams work together.",
    ),
    # --- registered ---------------------------------------------------------
    IdeaSpec(
        "alipay",
        "olivia.song",
        "Scam-call warning before payment",
        "Warn the payer when a call is in progress during a large transfer.",
        "Most transfer scams happen while the victim is on the phone.",
        _md("Detect an active call during a transfer.", "Show a pause screen."),
        "registered",
        members=("feng.bo",),
    ),
    IdeaSpec(
        "alipay",
        "yuan.chao",
        "Green data-centre scheduling",
        "Run batch jobs when and where the grid is greenest.",
        "Our batch jobs run at fixed times regardless of the power mix.",
        _md("Carbon intensity per region and hour.", "A scheduler that follows it."),
        "registered",
    ),
    IdeaSpec(
        "alipay",
        "kevin.wu",
        "Big-text mode for search",
        "One switch for large text, fewer items and clear prices.",
        "Older users zoom and scroll and still miss the price.",
        _md("A simplified search result page.", "Remember the setting per device."),
        "registered",
        visibility="racecourse",
    ),
    IdeaSpec(
        "alipay",
        "tony.guo",
        "Seller onboarding buddy",
        "Pair every new seller with an experienced one for their first month.",
        "Half of new sellers stop within three months.",
        _md("Matching by category and region.", "Small rewards for buddies."),
        "registered",
        visibility="racecourse",
    ),
    IdeaSpec(
        "alipay",
        "lu.yan",
        "Merchant chargeback shield",
        "Flag risky orders to small merchants before they ship.",
        "A single chargeback can wipe out a week of a stall's profit.",
        _md("Risk score per order.", "Advice in plain words: ship, hold or call."),
        "registered",
        challenge="merchant-fraud",
    ),
    IdeaSpec(
        "farm",
        "ren.hao",
        "Courier route sharing",
        "Couriers from different stations swap parcels at shared hand-off points.",
        "Two couriers often drive the same street ten minutes apart.",
        _md("Shared hand-off points.", "A swap suggestion in the courier app."),
        "registered",
    ),
    # --- screening on department racecourses ---------------------------------
    IdeaSpec(
        "taobao",
        "xu.hao",
        "Grandchild mode",
        "Let a grandchild fill a basket that grandparents pay for with one tap.",
        "Grandparents want to buy but need help choosing.",
        _md("Shared baskets across family accounts.", "One-tap approval."),
        "screening",
        challenge="elders",
        members=("kevin.wu",),
        appeal=0.75,
    ),
    IdeaSpec(
        "taobao",
        "ma.lin",
        "Size advice in live streams",
        "Hosts answer “which size for me?” from the buyer's own past orders.",
        "Viewers ask the host about sizes all evening and still order the wrong one.",
        _md(
            "A size hint beside each product in the stream.",
            "Built from the sizes the buyer kept, not the ones returned.",
        ),
        "screening",
        appeal=0.8,
    ),
    IdeaSpec(
        "taobao",
        "kevin.wu",
        "Honest price history",
        "Show 90 days of price history on every item.",
        "Buyers no longer trust “was ¥199, now ¥99” labels.",
        _md(
            "A small price chart on the item page.",
            "Flag items whose price rose just before a sale.",
        ),
        "screening",
        appeal=0.85,
    ),
    IdeaSpec(
        "taobao",
        "tony.guo",
        "Seller holiday mode",
        "One switch pauses a shop, answers buyers and keeps its ranking.",
        "Small sellers lose their search ranking when they take a week off.",
        _md(
            "Auto-replies with the return date.",
            "Ranking frozen while the shop is paused.",
        ),
        "screening",
        appeal=0.6,
    ),
    IdeaSpec(
        "taobao",
        "amy.zhang",
        "Group buying with neighbours",
        "Neighbours pool orders into one delivery for a lower price.",
        "Five parcels from the same shop go to the same building on the same day.",
        _md(
            "Open a group order for your building.",
            "The price drops as neighbours join.",
        ),
        "screening",
        appeal=0.55,
    ),
    IdeaSpec(
        "taobao",
        "huang.ting",
        "Photo search for spare parts",
        "Snap a broken part; find the exact replacement.",
        "Nobody knows the model number of a broken tap washer.",
        _md(
            "Image search tuned on parts catalogues.",
            "Fit check against the buyer's device.",
        ),
        "screening",
        visibility="racecourse",
        appeal=0.7,
    ),
    IdeaSpec(
        "taobao",
        "ma.lin",
        "Packaging-free checkout",
        "Buyers can say no to gift boxes and filler; sellers ship leaner.",
        "Most of what a buyer throws away after an order is packaging.",
        _md("A checkbox at checkout.", "Sellers see it on the packing slip."),
        "screening",
        appeal=0.45,
    ),
    IdeaSpec(
        "taobao",
        "li.qiang",
        "Voice-note answers for sellers",
        "Sellers answer buyers' questions with a 20-second voice note.",
        "Typing long answers on a phone keeps small sellers up at night.",
        _md("Record in the seller app.", "Automatic transcript for the buyer."),
        "screening",
        appeal=0.3,
    ),
    IdeaSpec(
        "taobao",
        "amy.zhang",
        "Dark-pattern check for shop pages",
        "Flag fake countdowns and hidden fees before a shop page goes live.",
        "A few shops' tricks make buyers distrust every shop.",
        _md(
            "Rules for countdowns, fees and pre-ticked boxes.",
            "A warning in the shop editor.",
        ),
        "screening",
        anonymous=True,
        appeal=0.5,
    ),
    IdeaSpec(
        "taobao",
        "li.qiang",
        "Shop-window video in search",
        "A five-second looping clip instead of the first product photo.",
        "Photos of clothes do not show how they move.",
        _md("Sellers upload a short clip.", "Autoplay muted in search results."),
        "screening",
        appeal=0.4,
    ),
    IdeaSpec(
        "main",
        "feng.bo",
        "QR code tamper check",
        "Warn when a printed payment code has been pasted over.",
        "Fraudsters paste their QR codes over small merchants' codes.",
        _md("Merchant codes carry a signature.", "The app checks it before paying."),
        "eliminated",
        via="screening",
        outcome="Voted down: opposing votes outnumbered supporting ones.",
        appeal=0.26,
    ),
    # --- the farm's screening round, closed: the vote decided -------------------
    IdeaSpec(
        "farm",
        "wei.dong",
        "Rainy-day delivery slots",
        "Buyers pick a dry hour for delivery when a storm is forecast.",
        "Parcels left at the door in the rain come back as complaints.",
        _md(
            "Weather forecast in the delivery app.", "Free rescheduling to a dry slot."
        ),
        "screening",
        appeal=0.72,
    ),
    IdeaSpec(
        "farm",
        "kong.jia",
        "Carbon receipt for every order",
        "Print the CO₂ of each order on its receipt.",
        "Buyers cannot tell a green delivery from a wasteful one.",
        _md("Estimate per order.", "Tips to cut it next time."),
        "screening",
        appeal=0.62,
    ),
    IdeaSpec(
        "farm",
        "michael.yu",
        "Tax helper for small sellers",
        "A quarterly tax return drafted from the shop's own sales.",
        "Small sellers pay accountants more than they save in tax.",
        _md(
            "Sales and fees exported per quarter.", "A draft return to check and file."
        ),
        "screening",
        appeal=0.66,
    ),
    IdeaSpec(
        "farm",
        "du.xiang",
        "Loyalty points on a blockchain",
        "Turn loyalty points into tokens buyers can trade.",
        "Loyalty points expire unused in every app.",
        _md("Points minted as tokens.", "A marketplace to swap them."),
        "screening",
        appeal=0.22,
    ),
    IdeaSpec(
        "farm",
        "sophie.tang",
        "Pet food that never runs out",
        "Deliveries timed to how fast your pet eats.",
        "Owners notice the empty bag when the shop is closed.",
        _md(
            "Learn the pace from past orders.",
            "Ship three days before the bag runs out.",
        ),
        "screening",
        appeal=0.56,
    ),
    IdeaSpec(
        "farm",
        "peter.fan",
        "Fridge that reorders milk",
        "A smart fridge orders milk and eggs when they run low.",
        "Families run out of basics on the busiest mornings.",
        _md("Weight sensors on two shelves.", "Orders confirmed in the app."),
        "screening",
        appeal=0.35,
    ),
    # --- drafts -------------------------------------------------------------
    IdeaSpec(
        "main",
        "zhou.min",
        "Horse-race alumni mentors",
        "Past teams coach this year's teams.",
        "New teams repeat mistakes earlier teams already solved.",
        _md(
            "A mentor pool of past finalists.", "Two hours a month, recognised in KPIs."
        ),
        "draft",
    ),
    IdeaSpec(
        "main",
        "tang.wen",
        "Plain-language fund reports",
        "Fund reports a teenager could understand.",
        "Our fund reports are twelve pages of jargon.",
        _md("A one-page summary.", "Charts instead of tables."),
        "draft",
        visibility="confidential",
    ),
    IdeaSpec(
        "farm",
        "he.jing",
        "Night market live",
        "Stream night markets across China at 9 p.m.",
        "Night-market stalls have no online presence.",
        _md("Roaming streamers.", "Stall owners sell through one shared room."),
        "draft",
    ),
    IdeaSpec(
        "alipay",
        "olivia.song",
        "Merchant fraud hotline bot",
        "A chatbot merchants can ask 'is this a scam?'.",
        "Merchants do not know whom to ask when an order looks odd.",
        _md("Chat in the merchant app.", "Escalate to a person in one tap."),
        "draft",
        challenge="merchant-fraud",
    ),
]
