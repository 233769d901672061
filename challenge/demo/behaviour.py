"""How a demo household behaves: which services it declares and how its switches unfold."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from challenge.core.scoring import USES_ALTERNATIVE
from challenge.models import Alternative

# How common each Big Tech service is among households (share declaring it).
POPULARITY = {
    "google-search": 0.9,
    "bing": 0.08,
    "gmail": 0.7,
    "outlook": 0.3,
    "whatsapp": 0.85,
    "facebook-messenger": 0.4,
    "facebook": 0.6,
    "instagram": 0.5,
    "x-twitter": 0.15,
    "tiktok": 0.3,
    "youtube": 0.85,
    "google-maps": 0.75,
    "waze": 0.3,
    "google-chrome": 0.6,
    "microsoft-edge": 0.2,
    "google-drive": 0.45,
    "microsoft-365": 0.35,
    "icloud": 0.25,
    "android-google": 0.7,
    "iphone-ios": 0.3,
    "windows": 0.75,
    "macos": 0.12,
    "amazon": 0.8,
    "uber-eats": 0.2,
    "deliveroo": 0.15,
    "uber": 0.2,
    "blablacar": 0.3,
    "airbnb": 0.35,
    "booking": 0.4,
    "spotify": 0.4,
    "apple-music": 0.1,
    "amazon-music": 0.08,
    "google-meet": 0.2,
    "microsoft-teams": 0.3,
    "zoom": 0.25,
}
DEFAULT_POPULARITY = 0.12
ADOPTION = {"easy": 0.75, "medium": 0.55, "hard": 0.3}
QUANTITY_RANGES = {"km": (5, 250), "euros": (5, 120), "objects": (1, 4)}


@dataclass
class Story:
    plan: dict[str, list[str]] = field(default_factory=dict)
    checkins: list[dict[str, Any]] = field(default_factory=list)


def _plan(rng: random.Random, options: dict[str, list[Alternative]]) -> dict[str, list[Alternative]]:
    # Households start the challenge with the services they rely on most: about half of them.
    plan = {
        s: alts
        for s, alts in options.items()
        if alts and rng.random() < 0.5 * POPULARITY.get(s, DEFAULT_POPULARITY)
    }
    if not plan:  # everybody uses at least one service
        service = rng.choice(sorted(s for s, alts in options.items() if alts))
        plan = {service: options[service]}
    return {
        s: rng.sample(alts, k=1 if len(alts) == 1 or rng.random() < 0.7 else 2) for s, alts in plan.items()
    }


def _trajectory(rng: random.Random, effort: str, weeks: int) -> list[str]:
    """The status of one service week after week: a try, a gradual switch, sometimes a relapse."""
    if rng.random() < 0.04:
        drop_week = rng.randint(1, weeks)
        return ["still" if w < drop_week else "dropped" for w in range(1, weeks + 1)]
    adopts = rng.random() < ADOPTION[effort]
    start = rng.randint(1, max(1, weeks - 1)) if adopts else weeks + 1
    steps, status, result = ["tried", "mostly", "switched"], "still", []
    for week in range(1, weeks + 1):
        if week >= start and status != "switched" and rng.random() < 0.6:
            status = steps[min(steps.index(status) + 1 if status in steps else 0, 2)]
        elif status in ("mostly", "switched") and rng.random() < 0.05:
            status = "tried"  # a relapse
        elif not adopts and status == "still" and rng.random() < 0.08:
            status = "tried"
        result.append(status)
    return result


def _quantities(rng: random.Random, kinds: list[str], status: str) -> dict[str, Any]:
    values: dict[str, Any] = {"km": None, "euros": None, "objects": None}
    if status in ("mostly", "switched"):
        for kind in kinds:
            low, high = QUANTITY_RANGES[kind]
            values[kind] = rng.randint(low, high)
    return values


def household_story(
    rng: random.Random,
    options: dict[str, list[Alternative]],
    quantities: dict[str, list[str]],
    weeks: int,
    is_visitor: bool = False,
    first_week: int = 1,
) -> Story:
    """Declared services, chosen alternatives and check-ins of one demo household.

    A household that joined in `first_week` checks in from that week on.
    """
    plan = _plan(rng, options)
    engagement = rng.uniform(0.45, 0.98)
    # The documented demo household has checked in every past week but not yet this one.
    attended = [
        w
        for w in range(first_week, weeks + 1)
        if (w < weeks and (is_visitor or rng.random() < engagement))
        or (w == weeks and not is_visitor and rng.random() < engagement * 0.5)
    ]
    story = Story(plan={s: [a.slug for a in alts] for s, alts in plan.items()})
    for service, alternatives in plan.items():
        path = _trajectory(rng, alternatives[0].effort, weeks)
        for week in attended:
            status = path[week - 1]
            story.checkins.append(
                {
                    "week": week,
                    "service_slug": service,
                    "status": status,
                    # The alternative its trajectory follows (team goals count the answers naming it).
                    "alternative_slug": alternatives[0].slug if status in USES_ALTERNATIVE else None,
                    **_quantities(rng, quantities.get(service, []), status),
                }
            )
    return story
