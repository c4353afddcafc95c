from jobbtorg.participations.tests.fixtures import *  # noqa: F403
