"""A confirmation before money moves, for browser forms.

A page that releases or grants money posts its form as usual; the view asks
``money_confirmed`` first and, without a confirmation, answers with
``confirm_page``: "Release ¥250,000 to “Idea X”?", the same fields hidden,
and one button that posts them again with ``confirm_amount`` set to the
amount shown. The server acts only when that amount is the one it is about to
move, so a confirmation given for one amount never moves another (a tranche
changed meanwhile asks again). No JavaScript needed. The API does not ask:
its clients send a request on purpose.
"""

from decimal import Decimal, InvalidOperation

from django.shortcuts import render

CONFIRM_FIELD = "confirm_amount"
_SKIP = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def _token(amount) -> str:
    try:
        return format(Decimal(str(amount)).normalize(), "f")
    except (InvalidOperation, ValueError):
        return ""


def money_confirmed(request, amount) -> bool:
    """Whether this POST confirms moving exactly ``amount``."""
    sent = request.POST.get(CONFIRM_FIELD, "")
    return bool(sent) and _token(sent) == _token(amount)


def confirm_page(
    request, *, amount, question: str, detail: str = "", button: str, back: str
):
    """The confirmation step: the question (stating the amount and the
    recipient), the posted fields carried again, a button and a way back."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _SKIP
        for value in values
    ]
    return render(
        request,
        "confirm_money.html",
        {
            "question": question,
            "detail": detail,
            "button": button,
            "back": back,
            "fields": fields,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": _token(amount),
        },
    )
