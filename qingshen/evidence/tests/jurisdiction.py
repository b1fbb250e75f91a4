"""The evidence app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Inside: a file attached to 涿州测试企业's project (world.project). Outside: a file on a
project in 莲池区 (another county of 保定: for the county, the enterprise and the consultancy)
or in 长安区 (another city). Readers are the officials, the enterprise and its consultancy;
only the enterprise and its consultancy add, replace and withdraw.
"""

from qingshen.core.roles import Role
from qingshen.evidence.images import thumbnail_jpeg
from qingshen.evidence.tests.helpers import make_evidence
from qingshen.files.services import store
from qingshen.files.tests import samples
from qingshen.projects.tests.jurisdiction import other_project
from tests.jurisdiction_support import OFFICIALS, Case

#: An expert reads the files of the projects it is drawn to review (none here: world.project lies outside).
READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT}
ADDERS = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})


def _project_for(world, role, inside):
    if inside:
        return None if role == Role.EXPERT else world.project
    if role == Role.CITY:
        return other_project(world, world.e_changan, "202113010200001")
    if role in (Role.COUNTY, Role.ENTERPRISE, Role.CONSULTANCY):
        return other_project(world, world.e_lianchi, "202113060600001")
    if role == Role.EXPERT:
        return world.project
    return None


def evidence(inside: bool):
    def pick(world, role):
        project = _project_for(world, role, inside)
        if project is None:
            return None
        return make_evidence(project, world.user(Role.ENTERPRISE), name="辖区测试材料（虚构）.pdf")

    return pick


def photo(inside: bool):
    """A photo with its thumbnail."""

    def pick(world, role):
        project = _project_for(world, role, inside)
        if project is None:
            return None
        content = samples.jpeg_bytes(taken="2022:01:15 10:30:00")
        thumbnail = store(None, "缩略图.jpg", thumbnail_jpeg(content), allowed=("jpeg",))
        return make_evidence(project, world.user(Role.ENTERPRISE), name="辖区测试照片（虚构）.jpg", content=content,
                             thumbnail=thumbnail)

    return pick


PAGES = {
    "evidence:upload": Case(ADDERS, method="post"),
    "evidence:replace": Case(ADDERS, method="post", pick=evidence),
    "evidence:withdraw": Case(ADDERS, method="post", pick=evidence),
    "evidence:download": Case(READERS, pick=evidence),
    "evidence:thumbnail": Case(READERS, pick=photo),
    "evidence:versions": Case(READERS, pick=evidence),
}

API = {
    "evidence-list": Case(READERS, pick=evidence),
    "evidence-detail": Case(READERS, pick=evidence),
    # An empty POST inside the jurisdiction: past the permission and the 404, refused for the missing file.
    "evidence-replace": Case(ADDERS, method="post", pick=evidence, ok=(400,)),
    "evidence-withdraw": Case(ADDERS, method="post", pick=evidence),
    "evidence-download": Case(READERS, pick=evidence),
}
