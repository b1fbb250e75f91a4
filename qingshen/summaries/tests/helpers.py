"""Made-up results and options for the summary tests (names say 测试): hand-built rows, since
only what they record matters to the figures."""

from decimal import Decimal

from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_option, project_for
from qingshen.reviews.models import Review


def reviewed(project, stage, status):
    """A submitted application of `stage` and its review closed with `status`."""
    number = Application.objects.filter(project=project, stage=stage).count() + 1
    application = Application(project=project, stage=stage, number=number, status=Application.Status.SUBMITTED,
                              submitted_at=timezone.now())
    application.save()
    review = Review(application=application, project=project, stage=stage, handling_level="city",
                    arrived_at=timezone.now(), status=status, decided_at=timezone.now())
    review.save()
    return review


def arrange(world):
    """涿州 (world.project): evaluation passed; a 无低费 option implemented, a 中高费 proposed.
    莲池: evaluation failed; a 中高费 implemented, a 无低费 given up (not counted)."""
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    make_option(world.project, "F1", status=Option.Status.IMPLEMENTED, investment=Decimal("2.50"),
                economic_benefit=Decimal("3.00"), water_saved=Decimal("100.00"), cod_reduced=Decimal("0.500"),
                nh3n_reduced=Decimal("0.050"), energy_saved=Decimal("1.00"))
    make_option(world.project, "F2", cost_class=Option.CostClass.HIGH, investment=Decimal("120.00"),
                economic_benefit=Decimal("40.00"), water_saved=Decimal("5000.00"))
    make_option(lianchi, "F1", cost_class=Option.CostClass.HIGH, status=Option.Status.IMPLEMENTED,
                investment=Decimal("80.00"), economic_benefit=Decimal("20.00"), water_saved=Decimal("2000.00"),
                cod_reduced=Decimal("1.250"), nh3n_reduced=Decimal("0.100"), energy_saved=Decimal("30.00"))
    make_option(lianchi, "F2", status=Option.Status.ABANDONED, investment=Decimal("9.00"),
                economic_benefit=Decimal("9.00"))
    reviewed(world.project, "evaluation", Review.Status.PASSED)
    reviewed(lianchi, "evaluation", Review.Status.FAILED)
    return lianchi
