"""Prompts a person may answer on their listing, so people can get to know them ("A good day supporting
someone looks like..."). A fixed list, written here once; a listing holds up to ``MAX_ANSWERS`` answers
(``Profile.prompts``: a list of {"prompt": key, "answer": text}). Edited through ``profile_update``.

Answers are not searched or matched on, so they never reach the match index.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

MAX_ANSWERS = 3
ANSWER_MAX_CHARS = 300

PROMPTS = {
    "good_day": "A good day supporting someone looks like...",
    "best_when": "I'm at my best when...",
    "why_i_do_this": "I do this work because...",
    "people_say": "People I support say I'm...",
    "outside_work": "Outside work you'll find me...",
    "good_support_means": "To me, good support means...",
    "looking_for": "The support I'm looking for would help me...",
    "about_my_days": "A typical week for me includes...",
}


def label(key: str) -> str:
    return PROMPTS.get(key, "")


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
            problems.append("Choose a prompt from the list for each answer.")
        elif not answer:
            problems.append(f"Write an answer to “{PROMPTS[prompt]}”, or choose no prompt there.")
        elif len(answer) > ANSWER_MAX_CHARS:
            problems.append(
                f"Keep each answer to {ANSWER_MAX_CHARS} characters or fewer (“{PROMPTS[prompt]}” has {len(answer)})."
            )
        elif any(a["prompt"] == prompt for a in answers):
            problems.append(f"You answered “{PROMPTS[prompt]}” twice: choose a different prompt for one of them.")
        else:
            answers.append({"prompt": prompt, "answer": answer})
    if len(answers) > MAX_ANSWERS:
        problems.append(f"Answer up to {MAX_ANSWERS} prompts.")
    if problems:
        raise ValidationError({"prompts": list(dict.fromkeys(problems))})
    return answers


def answered(profile) -> list[dict[str, str]]:
    """The listing's answers with each prompt's words, for its page (unknown prompts are left out)."""
    return [
        {"prompt": PROMPTS[item["prompt"]], "answer": item["answer"]}
        for item in profile.prompts or []
        if isinstance(item, dict) and item.get("prompt") in PROMPTS and item.get("answer")
    ]
