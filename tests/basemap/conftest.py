from tests.servicecircle.conftest import categories, network  # noqa: F401 - the stored test street lattice
