"""The options app's module-wide CampaignWorld("accepted") and `sign_in`, reused here."""

from qingshen.options.tests.conftest import _shared_world, sign_in, world  # noqa: F401
