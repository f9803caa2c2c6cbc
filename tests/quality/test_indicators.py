"""Indicators against cases computed by hand: shares and their interval, medians, thresholds, periods."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from carteblanche.quality import indicators, selectors, services
from carteblanche.quality.enums import AnswerChannel, Satisfaction, StructureKind, Subject, VisitOutcome
from carteblanche.quality.models import CallTally, Structure, Visit
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_wilson_interval_matches_the_published_values():
    # 8 successes out of 10: the textbook Wilson 95 % interval is 0.490 – 0.943.
    low, high = indicators.wilson(8, 10)
    assert round(low, 3) == 0.490
    assert round(high, 3) == 0.943
    # 0 out of 5 still gives an upper bound (a plain proportion would say « 0 % », certain).
    assert indicators.wilson(0, 5) == (0.0, pytest.approx(0.4345, abs=1e-4))


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert indicators.median_of(Counter({3: 1, 5: 1, 10: 1, 20: 1})) == 7.5
    assert indicators.median_of(Counter({1: 1, 2: 1, 9: 1})) == 2
    assert indicators.median_of(Counter({4: 3, 60: 1})) == 4
    assert indicators.median_of(Counter()) is None


def test_median_interval_uses_order_statistics():
    # Ten observations 1..10: P(Bin(10, ½) ≤ 1) = 1.07 % ≤ 2.5 % < P(≤ 2): ranks 2 and 9.
    assert indicators.median_interval(Counter(range(1, 11))) == (2, 9)
    # Five observations: too few for any narrower interval than the whole range.
    assert indicators.median_interval(Counter([7, 8, 9, 10, 11])) == (7, 11)


def test_a_share_below_the_minimum_shows_its_interval_not_a_rate(settings):
    settings.QUALITY_MIN_ANSWERS = 30
    small = indicators.blank("satisfaction")
    small.hits, small.n = 8, 10
    assert small.shown == "entre 49\u00a0% et 94\u00a0%"
    assert small.count_label == "10\u00a0réponses"
    assert small.machine_value is None
    large = indicators.blank("satisfaction")
    large.hits, large.n = 24, 30
    assert large.shown == "80\u00a0%"
    assert large.machine_value == 80.0
    empty = indicators.blank("satisfaction")
    assert empty.shown == "pas encore de données"


def _structure(**fields):
    territory = TerritoryFactory()
    return Structure.objects.create(territory=territory, name="Accueil test", kind=StructureKind.COUNTER, **fields)


def _at(day: datetime.date, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_results_by_quarter_count_what_was_said_and_measured(settings):
    settings.QUALITY_MIN_ANSWERS = 3
    structure = _structure()
    today = timezone.localdate()
    this_quarter = selectors.quarter_of(today)
    last_quarter = selectors.shift_quarter(this_quarter, -1)
    # This quarter: 3 « Très bien » of 4 answers; one more, flagged then set aside, does not count.
    for satisfaction in (Satisfaction.GOOD, Satisfaction.GOOD, Satisfaction.GOOD, Satisfaction.BAD):
        services.answer_record(
            structure=structure, channel=AnswerChannel.PAPER, satisfaction=satisfaction, at=_at(this_quarter)
        )
    aside = services.answer_record(
        structure=structure, channel=AnswerChannel.PAPER, satisfaction=Satisfaction.BAD, at=_at(this_quarter)
    )
    services.answer_review(answer=aside, keep=False, actor=None)
    # Last quarter: 1 of 2.
    for satisfaction in (Satisfaction.GOOD, Satisfaction.MEDIUM):
        services.answer_record(
            structure=structure, channel=AnswerChannel.PAPER, satisfaction=satisfaction, at=_at(last_quarter)
        )
    # Visits this quarter: waits of 2, 4, 10 and 30 minutes (median 7); 2 solved, 1 referred, 1 to follow, and one
    # person who left (not in the share solved).
    for wait, outcome in ((2, VisitOutcome.SOLVED), (4, VisitOutcome.SOLVED), (10, VisitOutcome.REFERRED)):
        visit = services.visit_arrive(structure=structure, subject=Subject.TAX, actor=None, at=_at(this_quarter))
        services.visit_seen(visit=visit, at=_at(this_quarter, minute=wait))
        services.visit_done(
            visit=visit, outcome=outcome, referred_label="Centre des finances publiques", at=_at(this_quarter, hour=11)
        )
    visit = services.visit_arrive(structure=structure, subject=Subject.TAX, actor=None, at=_at(this_quarter))
    services.visit_seen(visit=visit, at=_at(this_quarter, minute=30))
    services.visit_done(visit=visit, outcome=VisitOutcome.FOLLOW_UP, at=_at(this_quarter, hour=11))
    left = services.visit_arrive(structure=structure, subject=Subject.TAX, actor=None, at=_at(this_quarter))
    services.visit_done(visit=left, outcome=VisitOutcome.LEFT, at=_at(this_quarter, hour=11))
    CallTally.objects.create(structure=structure, date=this_quarter, received=40, answered=30)
    CallTally.objects.create(structure=structure, date=last_quarter, received=10, answered=10)

    result = selectors.results_for([structure], today=today)[structure.pk]
    now = result.by_quarter[this_quarter]
    assert (now["satisfaction"].hits, now["satisfaction"].n) == (3, 4)
    assert now["attente"].value == 7
    assert now["attente"].n == 4
    assert (now["resolution"].hits, now["resolution"].n) == (2, 4)
    assert now["orientations"].n == 1
    assert (now["appels"].hits, now["appels"].n) == (30, 40)
    before = result.by_quarter[last_quarter]
    assert (before["satisfaction"].hits, before["satisfaction"].n) == (1, 2)
    # The published value sums the last four quarters: 4 of 6 « Très bien », 40 of 50 calls answered.
    assert (result.current["satisfaction"].hits, result.current["satisfaction"].n) == (4, 6)
    assert result.current["appels"].shown == "80\u00a0%"
    assert result.current["satisfaction"].shown == "67\u00a0%"
    assert [row["quarter"] for row in result.trend("satisfaction")][-1] == selectors.quarter_label(this_quarter)


def test_promised_delays_are_met_or_late_once_due(settings):
    structure = _structure(promised_days=5)
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=20)
    visits = []
    for _ in range(3):
        visit = services.visit_arrive(structure=structure, subject=Subject.JOB, actor=None, at=_at(long_ago))
        services.visit_done(
            visit=visit, outcome=VisitOutcome.REFERRED, referred_label="France Travail", at=_at(long_ago, hour=11)
        )
        visits.append(visit)
    assert visits[0].answer_due_on == long_ago + datetime.timedelta(days=5)
    services.referral_answered(visit=visits[0], on=long_ago + datetime.timedelta(days=3))  # in time
    services.referral_answered(visit=visits[1], on=long_ago + datetime.timedelta(days=8))  # late
    # visits[2]: never answered, past due: late too.
    recent = services.visit_arrive(structure=structure, subject=Subject.JOB, actor=None)
    services.visit_done(visit=recent, outcome=VisitOutcome.REFERRED, referred_label="France Travail")
    # Not yet due and not answered: not judged.
    result = selectors.results_for([structure], today=today)[structure.pk]
    delays = result.current["delais"]
    assert (delays.hits, delays.n) == (1, 3)


def test_visit_breakdown_by_week_and_subject():
    structure = _structure()
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for wait, subject in ((5, Subject.TAX), (15, Subject.TAX), (40, Subject.HEALTH)):
        visit = services.visit_arrive(structure=structure, subject=subject, actor=None, at=_at(monday, hour=9))
        services.visit_seen(visit=visit, at=_at(monday, hour=9, minute=wait))
        services.visit_done(visit=visit, outcome=VisitOutcome.SOLVED, at=_at(monday, hour=10))
    breakdown = selectors.visit_breakdown(structure, today=today)
    this_week = breakdown["semaine"][-1]
    assert this_week.visits == 3 and this_week.median_wait == 15 and this_week.solved_share == 1
    subjects = {row.key: row for row in breakdown["objet"]}
    assert subjects[Subject.TAX].median_wait == 10
    assert subjects[Subject.HEALTH].visits == 1
    assert Visit.objects.filter(structure=structure).values_list("week", flat=True).distinct().get() == monday


def test_memorised_quarters_are_recounted_after_a_write_in_them(settings):
    structure = _structure()
    today = timezone.localdate()
    last_quarter = selectors.shift_quarter(selectors.quarter_of(today), -1)
    services.answer_record(structure=structure, channel=AnswerChannel.PAPER, satisfaction="good", at=_at(last_quarter))
    first = selectors.results_for([structure], today=today)[structure.pk].by_quarter[last_quarter]
    assert first["satisfaction"].n == 1
    late = services.answer_record(
        structure=structure, channel=AnswerChannel.PAPER, satisfaction="bad", at=_at(last_quarter)
    )
    again = selectors.results_for([structure], today=today)[structure.pk].by_quarter[last_quarter]
    assert (again["satisfaction"].hits, again["satisfaction"].n) == (1, 2)
    services.answer_review(answer=late, keep=False, actor=None)
    aside = selectors.results_for([structure], today=today)[structure.pk].by_quarter[last_quarter]
    assert aside["satisfaction"].n == 1
