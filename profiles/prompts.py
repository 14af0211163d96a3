"""Prompts a person may answer on their listing, so people can get to know them ("A good day supporting
someone looks like..."). A fixed list, written here once; a listing holds up to ``MAX_ANSWERS`` answers
(``Profile.prompts``: a list of {"prompt": key, "answer": text}). Edited through ``profile_update``.

Answers are not searched or matched on, so they never reach the match index.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .vocabulary import gettext_noop

MAX_ANSWERS = 3
ANSWER_MAX_CHARS = 300

PROMPTS = {
    "good_day": gettext_noop("A good day supporting someone looks like..."),
    "best_when": gettext_noop("I'm at my best when..."),
    "why_i_do_this": gettext_noop("I do this work because..."),
    "people_say": gettext_noop("People I support say I'm..."),
    "outside_work": gettext_noop("Outside work you'll find me..."),
    "good_support_means": gettext_noop("To me, good support means..."),
    "looking_for": gettext_noop("The support I'm looking for would help me..."),
    "about_my_days": gettext_noop("A typical week for me includes..."),
}


def label(key: str) -> str:
    return _(PROMPTS[key]) if key in PROMPTS else ""


def clean_prompts(value) -> list[dict[str, str]]:
    """The answers in order, checked: known prompts, each at most once, non-empty answers of a sensible
    length, at most ``MAX_ANSWERS``. Raises ValidationError({"prompts": [...]}) saying what to change."""
    problems: list[str] = []
    answers: list[dict[str, str]] = []
    for item in value or []:
        prompt = str((item or {}).get("prompt", "")) if isinstance(item, dict) else ""
        answer = " ".join(str((item or {}).get("answer", "")).split()) if isinstance(item, dict) else ""
        if not prompt and not answer:
            continue
        if prompt not in PROMPTS:
            problems.append(_("Choose a prompt from the list for each answer."))
        elif not answer:
            problems.append(
                _("Write an answer to “%(prompt)s”, or choose no prompt there.") % {"prompt": label(prompt)}
            )
        elif len(answer) > ANSWER_MAX_CHARS:
            problems.append(
                _("Keep each answer to %(limit)d characters or fewer (“%(prompt)s” has %(length)d).")
                % {"limit": ANSWER_MAX_CHARS, "prompt": label(prompt), "length": len(answer)}
            )
        elif any(a["prompt"] == prompt for a in answers):
            problems.append(
                _("You answered “%(prompt)s” twice: choose a different prompt for one of them.")
                % {"prompt": label(prompt)}
            )
        else:
            answers.append({"prompt": prompt, "answer": answer})
    if len(answers) > MAX_ANSWERS:
        problems.append(_("Answer up to %(number)d prompts.") % {"number": MAX_ANSWERS})
    if problems:
        raise ValidationError({"prompts": list(dict.fromkeys(problems))})
    return answers


def answered(profile) -> list[dict[str, str]]:
    """The listing's answers with each prompt's words, for its page (unknown prompts are left out)."""
    return [
        {"prompt": label(item["prompt"]), "answer": item["answer"]}
        for item in profile.prompts or []
        if isinstance(item, dict) and item.get("prompt") in PROMPTS and item.get("answer")
    ]
