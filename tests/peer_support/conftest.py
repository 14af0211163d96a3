from tests.matching.conftest import fresh_matching_state  # noqa: F401  (each test gets its own match index)
