"""Jurisdiction: which rows a user may see. One method, used by every view and endpoint.

Every model whose rows belong to a place inherits `ScopedModel`: it carries the province,
city and county codes of that place (indexed), and its default manager offers
`Model.objects.restrict(user)`. Base views (`qingshen.core.views`) and API viewsets
(`qingshen.core.api`) build their querysets from it, so a new page cannot forget it.

- province officials and system administrators see every row;
- city and county officials, and permit authorities, see rows whose city/county code is
  theirs (codes come from the configurable region tree, never from slicing strings);
- an enterprise sees rows of its own enterprise, a consultancy the rows of enterprises
  that delegated to it — through `jurisdiction_enterprise_lookup`, the path from the
  model to its enterprise;
- an expert sees only what it is assigned to (`filter_for_expert`, none by default).
"""

from dataclasses import dataclass, field

from django.db import models

from qingshen.core.roles import Role


@dataclass(frozen=True)
class Jurisdiction:
    """What a signed-in user's rows are bounded by; computed once per user object."""

    role: str
    user_id: int
    organization_id: int | None = None
    level: str = ""  # "province" / "city" / "county" for officials and permit authorities
    code: str = ""  # the region code at that level
    enterprise_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def sees_everything(self) -> bool:
        return self.role == Role.SYSADMIN or (
            self.role in (Role.PROVINCE, Role.PERMIT_AUTHORITY) and self.level == "province"
        )

    @property
    def is_regional(self) -> bool:
        return self.role in (Role.CITY, Role.COUNTY, Role.PERMIT_AUTHORITY)

    def delegated_enterprise_ids(self):
        """Enterprises that delegated their audit to this consultancy (a subquery)."""
        from qingshen.enterprises.models import Delegation

        return Delegation.objects.filter(
            consultancy_id=self.organization_id, is_active=True
        ).values("enterprise_id")


def jurisdiction_of(user) -> Jurisdiction | None:
    """The user's jurisdiction, or None for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_jurisdiction_cache", None)
    if cached is not None:
        return cached
    org = user.organization
    region = org.region if org is not None else None
    jurisdiction = Jurisdiction(
        role=user.role,
        user_id=user.pk,
        organization_id=org.pk if org is not None else None,
        level=region.level if region is not None else "",
        code=region.code if region is not None else "",
        enterprise_id=org.enterprise_id if org is not None else None,
    )
    user._jurisdiction_cache = jurisdiction
    return jurisdiction


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user):
        """Only the rows this user may see, whatever the view or endpoint."""
        jurisdiction = jurisdiction_of(user)
        if jurisdiction is None:
            return self.none()
        return self.model.filter_for_jurisdiction(self, jurisdiction)


class ScopedModel(models.Model):
    """A row that belongs to a place: carries its province/city/county codes."""

    province_code = models.CharField("省级区划代码", max_length=6, db_index=True, editable=False)
    city_code = models.CharField("市级区划代码", max_length=6, db_index=True, editable=False, blank=True)
    county_code = models.CharField("县级区划代码", max_length=6, db_index=True, editable=False, blank=True)

    objects = ScopedQuerySet.as_manager()

    #: Path from this model to the Enterprise it belongs to ("pk" for Enterprise itself);
    #: None when enterprises and consultancies never see rows of this model.
    jurisdiction_enterprise_lookup: str | None = None

    class Meta:
        abstract = True

    def set_scope_from_region(self, region):
        self.province_code = region.province_code
        self.city_code = region.city_code
        self.county_code = region.county_code

    @classmethod
    def filter_for_jurisdiction(cls, queryset, jurisdiction: Jurisdiction):
        if jurisdiction.sees_everything:
            return queryset
        if jurisdiction.is_regional or jurisdiction.role == Role.PROVINCE:
            if jurisdiction.level not in ("province", "city", "county"):
                return queryset.none()
            return queryset.filter(**{f"{jurisdiction.level}_code": jurisdiction.code})
        lookup = cls.jurisdiction_enterprise_lookup
        if jurisdiction.role == Role.ENTERPRISE and lookup and jurisdiction.enterprise_id:
            return queryset.filter(**{lookup: jurisdiction.enterprise_id})
        if jurisdiction.role == Role.CONSULTANCY and lookup:
            return queryset.filter(**{f"{lookup}__in": jurisdiction.delegated_enterprise_ids()})
        if jurisdiction.role == Role.EXPERT:
            return cls.filter_for_expert(queryset, jurisdiction)
        return queryset.none()

    @classmethod
    def filter_for_expert(cls, queryset, jurisdiction: Jurisdiction):
        return queryset.none()

    def is_within(self, jurisdiction: Jurisdiction) -> bool:
        """Whether this (saved) row is visible in the given jurisdiction."""
        queryset = type(self)._default_manager.filter(pk=self.pk)
        return type(self).filter_for_jurisdiction(queryset, jurisdiction).exists()
