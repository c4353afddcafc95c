"""after_commit: e-mail and tasks leave only with a committed change (docs/adr/0017, issue 9 item 4)."""

import pytest
from django.db import transaction

from jobbtorg.core.transactions import after_commit


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_commit_runs_when_the_callers_transaction_commits_and_never_when_it_rolls_back():
    calls: list[str] = []
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(lambda: calls.append("rolled back"))
        raise RuntimeError("the change failed")
    with transaction.atomic():
        after_commit(lambda: calls.append("committed"))
        assert calls == []  # not while the transaction is open
    assert calls == ["committed"]
    after_commit(lambda: calls.append("no transaction"))
    assert calls == ["committed", "no transaction"]
