"""The Dutch words a user types for an option's fixed values (``--via e-mail``, ``--type
particulier``, ``--reason betaald``), turned into the value the command knows before Click
parses the line. One table for every command: the commands, their checks and their messages
stay as they are, and a value that is neither word is refused by the command as before.
"""

from __future__ import annotations

VIA = {"post": "post", "per post": "post", "brief": "post", "email": "email", "e-mail": "email",
       "mail": "email", "per e-mail": "email", "per email": "email"}
TYPE = {"consumer": "consumer", "particulier": "consumer", "consument": "consumer", "prive": "consumer",
        "privé": "consumer", "business": "business", "zakelijk": "business", "bedrijf": "business",
        "zakelijke klant": "business", "onderneming": "business"}
LANG = {"nl": "nl", "en": "en", "nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en"}
CLOSE_REASON = {"betaald": "paid", "voldaan": "paid", "creditnota": "credit-note", "credit-nota": "credit-note",
                "afgeschreven": "written-off", "oninbaar": "written-off", "afboeken": "written-off",
                "overgedragen": "handed-over", "uit handen gegeven": "handed-over", "incasso": "handed-over",
                "failliet": "bankrupt", "faillissement": "bankrupt"}
EVERY = {"maand": "month", "maandelijks": "month", "per maand": "month", "week": "week",
         "wekelijks": "week", "per week": "week"}
BY = {"klant": "client", "factuur": "invoice", "maand": "month", "kwartaal": "quarter", "jaar": "year",
      "betaling": "payment"}

# option -> words, for every command that has the option; (command, option) where the
# same option is free text elsewhere (`wik pause --reason` takes any words).
ANY = {"--via": VIA, "--type": TYPE, "--lang": LANG, "--every": EVERY, "--by": BY}
ONLY = {("close", "--reason"): CLOSE_REASON}

def translate(args: list[str], command: str | None) -> list[str]:
    """``args`` with each Dutch option word replaced by the value the command takes."""
    out = list(args)
    end = out.index("--") if "--" in out else len(out)
    i = 0
    while i < end:
        word = out[i]
        name, eq, value = word.partition("=")
        table = ONLY.get((command or "", name)) or ANY.get(name)
        if table is not None:
            if eq:
                out[i] = f"{name}={_word(table, value)}"
            elif i + 1 < end:
                out[i + 1] = _word(table, out[i + 1])
                i += 1
        i += 1
    return out


def _word(table: dict[str, str], value: str) -> str:
    return table.get(" ".join(value.split()).lower(), value)
