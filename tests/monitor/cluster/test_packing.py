"""Due sources into jobs: shared keys keep sources together, the batch size caps the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from monitor.cluster.due import due_sources
from monitor.cluster.packing import Batch, groups, pack

KEYS = {
    "edpb": {"europa.eu"},
    "edps": {"europa.eu"},
    "cnil": {"cnil.fr"},
    "mixed": {"cnil.fr", "gouv.fr"},  # joins cnil's group and brings gouv.fr in
    "gouv": {"gouv.fr"},
    "ico": {"ico.org.uk"},
    "noyb": {"noyb.eu"},
}


def test_sources_sharing_a_key_form_one_group_in_the_order_given() -> None:
    found = groups(["ico", "edpb", "cnil", "gouv", "edps", "mixed", "noyb"], KEYS)
    assert found == [
        Batch(("ico",), ("ico.org.uk",)),
        Batch(("edpb", "edps"), ("europa.eu",)),
        Batch(("cnil", "gouv", "mixed"), ("cnil.fr", "gouv.fr")),
        Batch(("noyb",), ("noyb.eu",)),
    ]


def test_whole_groups_are_packed_up_to_the_batch_size_and_never_split() -> None:
    jobs = pack(groups(["ico", "edpb", "cnil", "gouv", "edps", "mixed", "noyb"], KEYS), batch_size=3)
    assert [job.sources for job in jobs] == [("ico", "edpb", "edps"), ("cnil", "gouv", "mixed"), ("noyb",)]
    lone = pack(groups(["cnil", "gouv", "mixed"], KEYS), batch_size=2)
    assert [job.sources for job in lone] == [("cnil", "gouv", "mixed")]  # oversized, alone, whole
    every_key = [key for job in jobs for key in job.keys]
    assert len(every_key) == len(set(every_key))  # no key in two jobs


def test_due_sources_never_dispatched_first_then_longest_overdue() -> None:
    hourly = CronTrigger.from_crontab("0 * * * *", timezone=UTC)
    now = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    triggers = {"a": [hourly], "b": [hourly], "c": [hourly], "new": [hourly]}
    last = {
        "a": now - timedelta(minutes=20),  # dispatched after 10:00: not due until 11:00
        "b": now - timedelta(minutes=45),  # before 10:00: due since 10:00
        "c": now - timedelta(hours=3),  # due since 08:00
    }
    assert due_sources(triggers, last, now) == ["new", "c", "b"]
