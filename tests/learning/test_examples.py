"""The examples in the docstrings of bilevel_mp.learning run and print what they show."""

from __future__ import annotations

import doctest

import pytest

from bilevel_mp import learning
from bilevel_mp.learning import driver, problems


@pytest.mark.parametrize("module", [learning, driver, problems],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module):
    outcome = doctest.testmod(module)
    assert outcome.attempted > 0 and outcome.failed == 0
