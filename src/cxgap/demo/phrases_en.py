"""English verbatims for the demo, as English-speaking customers of the shops write them."""

from __future__ import annotations

from cxgap.demo.phrases import PhraseBank
from cxgap.demo.phrases_en_topics import NEGATIVE, POSITIVE

SEGMENT_NEGATIVE = {
    "busy_family": (
        "With two toddlers, waiting in all day for a delivery is just not possible.",
        "We had to get a babysitter to be home for the delivery slot.",
        "The bunk beds came with half the screws missing, the kids slept on a mattress on "
        "the floor.",
    ),
    "design_lover": (
        "The new collections all look the same, nothing original any more.",
        "The 'terracotta' on the website is bright orange in real life.",
        "For a design brand the finishing is honestly disappointing.",
    ),
    "pro_buyer": (
        "For a fit-out job these lead times are impossible, my client is waiting.",
        "The trade account doesn't apply our agreed discount, I have to chase it every time.",
        "I can't get an invoice in the company's name without phoning.",
    ),
    "bargain_hunter": (
        "The price dropped by €{small_price} two days after I bought it.",
        "The delivery charge cancels out the whole discount.",
        "The big clearance sale was three wobbly chairs.",
    ),
}

SEGMENT_POSITIVE = {
    "busy_family": (
        "The kids' corner in the shop was a lifesaver.",
        "Ordered one evening after the kids were in bed, delivered on {weekday}.",
        "The kids' bed went together in an hour, clear instructions.",
    ),
    "design_lover": (
        "The new washed linen collection is stunning.",
        "Finally solid oak furniture with some character.",
        "This season's colours are spot on.",
    ),
    "pro_buyer": (
        "The trade desk met the deadline for my client's project.",
        "The trade discount is applied automatically, which I appreciate.",
        "My dedicated trade account contact is very responsive.",
    ),
    "bargain_hunter": (
        "Great deal in the sale, €{price} instead of double that.",
        "The clearance corner at {shop} is well worth a visit.",
        "The discount code worked first time.",
    ),
}

MIXED = (
    "{pos}, but {neg}",
    "{pos} but {neg}",
    "{pos}; however {neg}",
    "{pos}. Shame {neg}",
    "{pos}, only downside: {neg}",
    "{neg}, although {pos}",
    "{neg}, but to be fair {pos}",
    "{neg}. On the plus side {pos}",
    "{neg}, though {pos}",
    "Even though {pos}, {neg}",
    "On the one hand {pos}, on the other {neg}",
)

CONSEQUENCES = (
    "I had to take a day off work for nothing.",
    "So we spent {weeks} weeks eating off cardboard boxes.",
    "I had to chase {count} times to get an answer.",
    "So I cancelled the rest of my order.",
    "All they said was to be patient.",
    "Nobody apologised.",
    "And of course no goodwill gesture.",
    "It's been {days} days and I'm still waiting to hear back.",
    "I still don't know when it will be delivered.",
    "Honestly not good enough for furniture at this price.",
    "My partner ended up putting it all back together himself.",
    "Wasted my whole morning in the shop.",
    "In the end I bought elsewhere.",
    "The case is still open today.",
    "You feel like a nuisance when you call.",
)

PRAISE_FOLLOW_UPS = (
    "Would definitely recommend.",
    "We'll be back for the kids' room.",
    "Thanks to the whole team.",
    "Couldn't fault it.",
    "Great value for money.",
    "Exactly what we were looking for.",
    "Nice to come across service like that.",
    "No issues from start to finish.",
    "Really well done.",
    "Very happy with my purchase.",
)

OPENERS_NEGATIVE = (
    "Hi,",
    "Very disappointed.",
    "Really poor experience.",
    "Where do I start…",
    "Honestly,",
    "To be honest,",
    "Shocking.",
    "Customer for 10 years and",
    "Second order, same problem:",
)

OPENERS_POSITIVE = (
    "Great experience!",
    "Hi,",
    "Very happy.",
    "Brilliant!",
    "All good.",
    "Honestly,",
    "First order with you and",
    "Pleasant surprise:",
)

OPENERS_MIXED = (
    "Mixed feelings.",
    "Mixed bag:",
    "Meh.",
    "Overall ok,",
    "A bit torn.",
    "Fine overall.",
    "Hi,",
)

CLOSINGS_NEGATIVE = (
    "Would not recommend.",
    "Never again.",
    "I won't be ordering from you again.",
    "Shame, because the furniture is lovely.",
    "Needs sorting out.",
    "Very disappointed in Maison Lumen.",
    "I hope someone actually reads this.",
    "You've lost a customer.",
    "Unacceptable.",
    "Customer service needs fixing, urgently.",
    "Leaving a review on Google too.",
)

CLOSINGS_POSITIVE = (
    "Thanks!",
    "Well done to the {shop} team!",
    "Recommended.",
    "We'll be back!",
    "Keep it up.",
    "5 stars.",
    "Thanks again.",
)

CLOSINGS_MIXED = (
    "Could do better.",
    "OK, nothing more.",
    "Room for improvement.",
    "We'll see next time.",
    "Shame.",
    "Good, not great.",
    "A 7 for effort.",
)

SHORT_NEGATIVE = (
    "Late delivery, again.",
    "Customer service unreachable.",
    "Very disappointed with the delivery",
    "{minutes} mins on hold!!",
    "Never got my order",
    "App is useless at checkout",
    "No reply to my emails.",
    "Lead times far too long.",
    "{product} damaged on delivery.",
    "Still waiting for my refund.",
    "Poor quality for the price.",
    "No order tracking at all.",
    "never ordering again",
    "Staff had no idea about stock.",
    "Order {order} still not delivered.",
    "{weeks} weeks for a {product}, seriously?",
    "Still no news about my order.",
    "Three weeks late, no apology.",
    "App crashing at checkout, again.",
    "Nobody answers the phone.",
    "Invoice makes no sense.",
)

SHORT_POSITIVE = (
    "Fast delivery, no complaints.",
    "Lovely welcome in the shop.",
    "Great advice from {advisor}!",
    "Perfect, nothing to add.",
    "Really happy with my {product}.",
    "{product} as described and well delivered.",
    "Great service, thank you.",
    "Great, would recommend",
    "It all went smoothly.",
    "Delivered in {days} days, spot on.",
    "Quality is there.",
    "Good value for money",
    "The {shop} team are great!",
    "love my new {product} thank you",
    "Easy order, quick delivery.",
    "Lovely shop in {shop}.",
    "Easy and quick return.",
    "Beautiful quality, big fan.",
    "Really helpful sales assistant.",
)

SHORT_MIXED = (
    "Good but far too slow.",
    "Great product, so-so delivery.",
    "Ok, nothing special.",
    "Nice staff, lead times too long.",
    "Lovely {product}, slow customer service.",
    "Fine overall, website needs work.",
    "Not bad but pricey.",
    "Quality ok, service average.",
    "Lovely {product} but it came late.",
    "Shop staff yes, after-sales no.",
    "Nice but disorganised.",
    "Pretty but fragile.",
    "Delivery fine, assembly a pain.",
    "Friendly shop, app needs work.",
    "Lovely furniture, after-sales poor.",
)

SHORT_TAILS_NEGATIVE = (
    "Shame.",
    "Poor.",
    "Not good enough.",
    "Again.",
    "Seriously?",
    "Rubbish.",
    "Ridiculous.",
    "Please call me back.",
    "Fed up.",
)

SHORT_TAILS_POSITIVE = (
    "Thanks!",
    "Thanks {advisor}!",
    "Well done.",
    "Spot on.",
    "Lovely.",
    "Cheers.",
    "Recommended.",
    "Top marks.",
)

SHORT_TAILS_MIXED = (
    "Meh.",
    "Shame.",
    "Could be better.",
    "Average.",
    "So-so.",
    "We'll see.",
)

SLOTS = {
    "product": (
        "corner sofa",
        "three-seater sofa",
        "oak sideboard",
        "mattress",
        "ottoman bed",
        "velvet armchair",
        "TV unit",
        "oak dining table",
        "coffee table",
        "chest of drawers",
        "wardrobe",
        "bookcase",
        "bedside lamp",
        "rattan pendant light",
        "headboard",
        "desk",
        "floor lamp",
    ),
    "product_pl": ("dining chairs", "shelves", "bar stools", "wall lights", "nesting tables"),
    "legged": (
        "corner sofa",
        "velvet armchair",
        "oak sideboard",
        "TV unit",
        "desk",
        "dining table",
    ),
    "wood_item": ("oak dining table", "coffee table", "chest of drawers", "sideboard", "desk"),
    "upholstered": ("corner sofa", "three-seater sofa", "velvet armchair", "sofa bed", "footstool"),
    "shop": (
        "Lyon Confluence",
        "Bordeaux Lac",
        "Paris Bercy",
        "Lille",
        "Nantes",
        "Marseille Prado",
        "Toulouse",
        "Brussels",
    ),
    "advisor": ("Sophie", "Karim", "Amandine", "Julien", "Thomas", "Nadia", "Mrs Lefèvre"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
    "weeks": ("two", "three", "four", "five", "3", "4", "6"),
}

BANK = PhraseBank(
    language="en",
    negative=NEGATIVE,
    positive=POSITIVE,
    segment_negative=SEGMENT_NEGATIVE,
    segment_positive=SEGMENT_POSITIVE,
    mixed=MIXED,
    consequences=CONSEQUENCES,
    praise_follow_ups=PRAISE_FOLLOW_UPS,
    openers_negative=OPENERS_NEGATIVE,
    openers_positive=OPENERS_POSITIVE,
    openers_mixed=OPENERS_MIXED,
    closings_negative=CLOSINGS_NEGATIVE,
    closings_positive=CLOSINGS_POSITIVE,
    closings_mixed=CLOSINGS_MIXED,
    short_negative=SHORT_NEGATIVE,
    short_positive=SHORT_POSITIVE,
    short_mixed=SHORT_MIXED,
    short_tails_negative=SHORT_TAILS_NEGATIVE,
    short_tails_positive=SHORT_TAILS_POSITIVE,
    short_tails_mixed=SHORT_TAILS_MIXED,
    slots=SLOTS,
)
