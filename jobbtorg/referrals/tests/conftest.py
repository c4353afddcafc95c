import pytest

from jobbtorg.participations.tests.fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks (the CSV import) run at once, in the test's transaction."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
