"""Trust (信用) = competence × reliability × connection × time, per person and per customer.

Every factor is in [0, 1]; the score is their product × 100, so one zero factor makes
trust zero. The normalisations (documented in docs/methodology.md) are all monotone:
more kept promises, more or deeper contact and a longer relationship never lower trust.

Per person:
  competence  = rating / 5 (rating 1–5 recorded by the salesperson); unrated = 0.6
  reliability = (kept on time + 2) / (counted + 2) over promises made to this person
                or to the organisation; a promise counts once kept, broken, or past due.
                Only broken promises lower it: a record of promises all kept (or none
                made: seed 002, promise cautiously and do more) is 1, and one broken
                promise alone is 2/3, not 0 (issue 18)
  connection  = 0.4·F + 0.3·D + 0.3·B over touchpoints in the last ``window_days``:
                F = 1 − e^(−n/4)     (n touchpoints: frequency)
                D = 1 − e^(−W/20)    (W = sum of kind weights, kehu's own
                                      table in rules.domain, 1..10: depth)
                B = 1 − e^(−k/2)     (k = rungs of the depth ladder covered:
                                      breadth of ways, see ``ladder_breadth``)
  time        = 1 − e^(−d/120), d = days since the first touchpoint (日久见人心)

Per customer:
  competence  = role-weighted mean over recorded people (unrated count as neutral)
  reliability = the same formula over all the customer's promises
  connection  = 0.7·M + 0.3·S
                M = 1 − Π(1 − r_i·a_i·c_i), a role-weighted "noisy or" of person
                    connections (r = role weight / the heaviest role's, 1/3 for a
                    user by default; a = the person's attitude: 1 unless they
                    oppose us, then trust.oppose_weight, 0.5 by default, kehu's
                    own; 0 to 1), touchpoints with nobody
                    named counting as one more contact of the lightest role's r; more
                    contact with anyone raises it, recording a person never
                    lowers it
                S = ½(1 − e^(−p/3)) + ½(L/3): p people met in the window, L of the
                    three levels (高层/中层/基层) among them — 多点支持
  time        = since the customer's first touchpoint
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kehu.rules.domain import KIND_WEIGHTS, PERSON_LEVELS, ROLE_WEIGHTS, TOUCH_KINDS

FACTORS = ("competence", "reliability", "connection", "time")
# How much a person's connection counts in the customer's, by attitude (kehu's own): a
# decider who opposes us is a contact, not support (issue 18).
ATTITUDE_WEIGHT: dict[str | None, float] = {"support": 1.0, "neutral": 1.0, None: 1.0, "oppose": 0.5}
# Roles whose opposition is a risk to name (show, next, the negotiation verdict).
RISK_ROLES: tuple[str, ...] = ("decider", "influencer", "technical")
# Before this many days known, and before evaluation, the advice is to know the people
# (seed 001 §2), not yet to spread support over three levels (kehu's own number).
EARLY_DAYS = 60


@dataclass(frozen=True)
class TrustParams:
    window_days: int = 180
    time_scale_days: float = 120.0
    frequency_scale: float = 4.0
    depth_scale: float = 20.0
    breadth_scale: float = 2.0
    unrated_competence: float = 0.6
    kind_weights: dict[str, float] = field(default_factory=lambda: dict(KIND_WEIGHTS))
    # buying role (None: no role recorded) → how much it counts in the roll-up (settings
    # role_weight.<role>); only their ratios matter, so any positive numbers will do
    role_weights: dict[str | None, float] = field(default_factory=lambda: dict(ROLE_WEIGHTS))
    oppose_weight: float = ATTITUDE_WEIGHT["oppose"]  # trust.oppose_weight, kehu's own


@dataclass(frozen=True)
class PersonFacts:
    id: int
    name: str
    level: str | None = None
    role: str | None = None
    competence: int | None = None  # 1..5
    attitude: str | None = None  # support, neutral, oppose


@dataclass(frozen=True)
class TouchFacts:
    on: date
    kind: str
    people: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PromiseFacts:
    due: date
    kept_on: date | None = None
    broken: bool = False
    people: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Factors:
    competence: float
    reliability: float
    connection: float
    time: float

    @property
    def score(self) -> float:
        return 100.0 * self.competence * self.reliability * self.connection * self.time

    @property
    def weakest(self) -> str:
        return min(FACTORS, key=lambda f: getattr(self, f))

    def as_dict(self) -> dict[str, float]:
        return {f: getattr(self, f) for f in FACTORS}


@dataclass(frozen=True)
class PromiseTally:
    kept: int
    broken: int  # marked broken, kept late, or still open past due
    pending: int  # open and not yet due
    overdue: int  # the open ones among ``broken``


@dataclass(frozen=True)
class PersonTrust:
    person: PersonFacts
    factors: Factors
    touches_in_window: int
    last_touch: date | None


@dataclass(frozen=True)
class Suggestion:
    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerTrust:
    factors: Factors
    people: tuple[PersonTrust, ...]
    promises: PromiseTally
    first_touch: date | None
    last_touch: date | None
    people_in_window: int
    levels_in_window: tuple[str, ...]
    single_point: bool
    suggestions: tuple[Suggestion, ...]
    opposing: tuple[str, ...] = ()  # deciders, influencers, technical gatekeepers who oppose us

    @property
    def score(self) -> float:
        return self.factors.score

    @property
    def weakest(self) -> str:
        return self.factors.weakest


def score_shown(x: float) -> float:
    """Trust scores are shown (and kept in the history) rounded down, so a shown score
    never passes a gate it failed."""
    return math.floor(x * 10 + 1e-9) / 10


def _saturate(x: float, scale: float) -> float:
    return 1.0 - math.exp(-max(x, 0.0) / scale)


def competence_of(rating: int | None, params: TrustParams) -> float:
    if rating is None:
        return params.unrated_competence
    return max(0, min(rating, 5)) / 5.0


def tally_promises(promises: Iterable[PromiseFacts], today: date) -> PromiseTally:
    kept = broken = pending = overdue = 0
    for p in promises:
        if p.kept_on is not None and not p.broken:
            if p.kept_on <= p.due:
                kept += 1
            else:
                broken += 1
        elif p.broken:
            broken += 1
        elif p.due < today:
            broken += 1
            overdue += 1
        else:
            pending += 1
    return PromiseTally(kept, broken, pending, overdue)


def reliability_of(tally: PromiseTally) -> float:
    # Only broken promises lower it; the +2 keeps one broken promise from making it 0,
    # and more kept promises dilute the broken ones (monotone in both).
    return (tally.kept + 2) / (tally.kept + tally.broken + 2)


def time_of(first: date | None, today: date, params: TrustParams) -> float:
    if first is None:
        return 0.0
    return _saturate((today - first).days, params.time_scale_days)


def _in_window(touches: Iterable[TouchFacts], today: date, params: TrustParams) -> list[TouchFacts]:
    start = date.fromordinal(today.toordinal() - params.window_days)
    return [t for t in touches if start <= t.on <= today]


def ladder_breadth(weights: Iterable[int]) -> int:
    """How many different rungs of the depth ladder the touchpoints cover.

    Each touchpoint fills one rung at or below its own depth (a summit can stand where a
    daily call would): daily+topic+showcase cover 3, three daily calls cover 1, three
    summits 3. Counting plain distinct kinds instead would let a deeper kind *lower*
    trust (turning the only forum into a fourth summit loses a kind), breaking the rule
    that deeper contact never lowers trust. This count never falls when a touchpoint is
    added or made deeper: it is a maximum matching of touchpoints to rungs.
    """
    covered = 0
    for w in sorted(weights):
        if w > covered:
            covered += 1
    return covered


def contact_connection(recent: Sequence[TouchFacts], params: TrustParams) -> float:
    """Frequency, depth and breadth of ways, over touchpoints already windowed."""
    n = len(recent)
    weights = [params.kind_weights.get(t.kind, 1) for t in recent]
    weight = sum(weights)
    kinds = ladder_breadth(weights)
    f = _saturate(n, params.frequency_scale)
    d = _saturate(weight, params.depth_scale)
    b = _saturate(kinds, params.breadth_scale)
    return 0.4 * f + 0.3 * d + 0.3 * b


def _role_weight(role: str | None, params: TrustParams) -> float:
    weights = params.role_weights
    return weights.get(role, weights.get(None, ROLE_WEIGHTS[None]))


def role_reach(role: str | None, params: TrustParams) -> float:
    """r in the noisy-or: the role's weight over the heaviest role's, so in (0, 1] whatever
    the settings say (with the defaults, a decider 1, a user ⅓)."""
    return _role_weight(role, params) / max(params.role_weights.values(), default=1.0)


def anonymous_reach(params: TrustParams) -> float:
    """The weight of touchpoints that name nobody: the lightest role's reach (a user's ⅓
    by default), so that recording the person met never lowers connection."""
    return min(params.role_weights.values(), default=1.0) / max(params.role_weights.values(), default=1.0)


def person_trust(
    person: PersonFacts,
    touches: Sequence[TouchFacts],
    promises: Sequence[PromiseFacts],
    today: date,
    params: TrustParams = TrustParams(),
) -> PersonTrust:
    mine = [t for t in touches if person.id in t.people and t.on <= today]
    recent = _in_window(mine, today, params)
    owed = [p for p in promises if not p.people or person.id in p.people]
    first = min((t.on for t in mine), default=None)
    factors = Factors(
        competence=competence_of(person.competence, params),
        reliability=reliability_of(tally_promises(owed, today)),
        connection=contact_connection(recent, params),
        time=time_of(first, today, params),
    )
    last = max((t.on for t in mine), default=None)
    return PersonTrust(person, factors, len(recent), last)


def customer_trust(
    people: Sequence[PersonFacts],
    touches: Sequence[TouchFacts],
    promises: Sequence[PromiseFacts],
    today: date,
    params: TrustParams = TrustParams(),
    stage: str | None = None,
) -> CustomerTrust:
    past = [t for t in touches if t.on <= today]
    per_person = tuple(person_trust(p, past, promises, today, params) for p in people)
    recent = _in_window(past, today, params)

    # Competence: role-weighted mean, unrated people neutral.
    if people:
        total_w = sum(_role_weight(p.role, params) for p in people)
        competence = (
            sum(_role_weight(p.role, params) * competence_of(p.competence, params) for p in people)
            / total_w
        )
    else:
        competence = params.unrated_competence

    tally = tally_promises(promises, today)
    reliability = reliability_of(tally)

    # Connection: noisy-or of people, plus spread over people and levels.
    known = {p.id for p in people}
    miss = 1.0
    for pt in per_person:
        r = role_reach(pt.person.role, params)
        a = params.oppose_weight if pt.person.attitude == "oppose" else ATTITUDE_WEIGHT.get(pt.person.attitude, 1.0)
        miss *= 1.0 - r * a * pt.factors.connection
    anonymous = [t for t in recent if not (t.people & known)]
    if anonymous:
        # Always the lightest role's reach (a user's ⅓): recording a person must never
        # lower trust.
        miss *= 1.0 - contact_connection(anonymous, params) * anonymous_reach(params)
    m = 1.0 - miss
    met_ids = {i for t in recent for i in t.people if i in known}
    levels = tuple(
        lvl for lvl in PERSON_LEVELS if any(p.level == lvl for p in people if p.id in met_ids)
    )
    spread = 0.5 * _saturate(len(met_ids), 3.0) + 0.5 * len(levels) / 3.0
    connection = 0.7 * m + 0.3 * spread

    first = min((t.on for t in past), default=None)
    last = max((t.on for t in past), default=None)
    factors = Factors(competence, reliability, connection, time_of(first, today, params))
    single_point = len(met_ids) == 1
    trust = CustomerTrust(
        factors=factors,
        people=per_person,
        promises=tally,
        first_touch=first,
        last_touch=last,
        people_in_window=len(met_ids),
        levels_in_window=levels,
        single_point=single_point,
        suggestions=(),
        opposing=opposing(people),
    )
    return _with_suggestions(trust, today, params, recent, stage)


def opposing(people: Iterable[PersonFacts]) -> tuple[str, ...]:
    """The people whose opposition is a risk to name, in the order given: attitude
    ``oppose`` in one of the RISK_ROLES (a user who opposes us is not). One rule for
    `show`, `next` (through the trust's suggestions) and the negotiation verdict."""
    return tuple(p.name for p in people if p.attitude == "oppose" and p.role in RISK_ROLES)


def _with_suggestions(
    trust: CustomerTrust, today: date, params: TrustParams, recent: Sequence[TouchFacts],
    stage: str | None = None,
) -> CustomerTrust:
    """The advice for the weakest factor, fitted to the stage and the time known: early
    on (a stranger or acquaintance known under EARLY_DAYS) the advice is to know the
    people, not to build support at three levels; an opposing decider comes first."""
    tips: list[Suggestion] = []
    known = (today - trust.first_touch).days if trust.first_touch else 0
    early = stage in ("stranger", "acquainted") and known < EARLY_DAYS
    if trust.opposing:
        tips.append(Suggestion("tip_opposing", {"names": list(trust.opposing)}))
    weakest = trust.weakest
    people = trust.people
    if weakest == "competence":
        unrated = [p.person.name for p in people if p.person.competence is None]
        if unrated:
            tips.append(Suggestion("tip_rate_people", {"names": unrated}))
        rated = [p for p in people if p.person.competence is not None]
        if rated:
            low = min(rated, key=lambda p: p.person.competence or 0)
            tips.append(Suggestion("tip_show_expertise", {"name": low.person.name}))
        if not people:
            tips.append(Suggestion("tip_add_people"))
    elif weakest == "reliability":
        t = trust.promises
        # Reliability is weakest only with a broken promise on record (all kept is 1):
        # never advise promising more (seed 002: promise cautiously, do more).
        if t.overdue:
            tips.append(Suggestion("tip_keep_overdue", {"count": t.overdue}))
        else:
            tips.append(Suggestion("tip_keep_promises", {"kept": t.kept, "broken": t.broken}))
    elif weakest == "connection":
        if trust.last_touch is None:
            tips.append(Suggestion("tip_first_contact"))
        elif not recent:
            days = (today - trust.last_touch).days
            tips.append(Suggestion("tip_no_recent_contact", {"days": days}))
        used = {t.kind for t in recent}
        deepest = max((params.kind_weights.get(k, 1) for k in used), default=0)
        deeper = [k for k in TOUCH_KINDS if params.kind_weights.get(k, 1) > deepest]
        if deeper and recent:
            # The first of the seed's list that goes deeper than any used: the list starts
            # with the everyday ways (a call, a topic session, a reference visit), so this
            # steps up gently (seed 001 §2) where the lightest deeper kind would be a
            # one-way letter from our executive after a first call.
            tips.append(Suggestion("tip_deeper_kind", {"kind": deeper[0]}))
        missing_levels = [lvl for lvl in PERSON_LEVELS if lvl not in trust.levels_in_window]
        if early:
            tips.append(Suggestion("tip_know_them"))
        elif missing_levels:
            tips.append(Suggestion("tip_reach_levels", {"levels": missing_levels}))
    elif trust.first_touch is None:
        tips.append(Suggestion("tip_first_contact"))
    else:
        tips.append(Suggestion("tip_time", {"days": (today - trust.first_touch).days}))
    if trust.single_point and not early:
        tips.append(Suggestion("tip_single_point"))
    elif recent and trust.people_in_window == 0:
        tips.append(Suggestion("tip_name_people"))
    return CustomerTrust(**{**trust.__dict__, "suggestions": tuple(tips)})
