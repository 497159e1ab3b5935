"""The contract and negotiation keys live in rules.domain (i18n labels them without
importing the rules of contracts and negotiation); the rules must agree with them."""

from __future__ import annotations

import subprocess
import sys

from kehu.rules import contracts, domain, negotiation


def test_contract_actions_are_the_transitions_and_planning():
    assert contracts.ACTIONS == (*contracts.TRANSITIONS, "plan") == domain.ENUMS["contract_action"]
    assert set(contracts.OPEN) | set(contracts.WON) | {"lost"} == set(contracts.STATUSES)
    assert contracts.STATUSES == domain.ENUMS["contract_status"] == negotiation.CONTRACT_STATUSES


def test_negotiation_enums_are_its_vocabulary():
    assert negotiation.ENUMS["timing"] == negotiation.TIMING
    assert negotiation.ENUMS["team_role"] == negotiation.ROLES
    assert negotiation.ENUMS["plan_part"] == negotiation.PARTS
    assert negotiation.ENUMS["flag"] == negotiation.FLAGS
    assert all(domain.ENUMS[name] == keys for name, keys in negotiation.ENUMS.items())


# Imports every module of kehu.render (and says how many), so a module added later is
# held to the same rule.
ALL_RENDER = ("import importlib, pkgutil, sys, kehu.render; "
              "names = [m.name for m in pkgutil.iter_modules(kehu.render.__path__)]; "
              "[importlib.import_module('kehu.render.' + n) for n in names]; "
              "print(len(names)); ")


def test_labelling_does_not_import_the_contract_and_negotiation_rules():
    code = (ALL_RENDER + "import kehu.i18n; "
            "print(sorted(m for m in sys.modules if m in ('kehu.rules.negotiation', 'kehu.rules.contracts')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    count, loaded = out.split()
    assert int(count) >= 10 and loaded == "[]"


def test_the_signals_topics_are_playbooks_in_their_order():
    from kehu.rules import playbooks, signals

    assert tuple(k for k in playbooks.TOPICS if k in signals.TOPICS) == signals.TOPICS
    assert playbooks.for_signals is signals.for_signals


def test_show_asks_the_signals_without_loading_the_playbooks():
    code = (ALL_RENDER + "from types import SimpleNamespace as N; "
            "rows = [N(day=None, touch_id=1, text='keeps asking for a discount', kind='price', direction='against')]; "
            "print(kehu.render.playbooks.playbook_advice(rows, []), 'kehu.rules.playbooks' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    count, advice = out.split("\n", 1)
    assert int(count) >= 10
    # issue 18: show passes the current structured signals (store.signals), and each
    # guide comes with the likely causes they point at (none here)
    assert advice.strip() == "[('price_cut', [' keeps asking for a discount'], [])] False"
