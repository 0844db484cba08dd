import pytest

from tests.cockpit.world import make_cases, more_regions


@pytest.fixture
def tree(regions):
    return {**regions, "extra": more_regions(regions)}


@pytest.fixture
def random_cases(tree):
    return make_cases(600, seed=11)
