"""Read-only API for the city's organisation: districts, Jobbtorg units, service areas,
Arbetsförmedlingen units, providers and employers. Any signed-in user may read it;
changes go through the admin.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from jobbtorg.core.api import Pagination
from jobbtorg.organisation import serializers
from jobbtorg.organisation.models import AFUnit, District, Employer, JobbtorgUnit, Provider, ServiceArea

# A bigint id in a URL pattern, for viewsets that want the router to refuse anything else.
ID_PATTERN = r"[0-9]{1,18}"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    required_capabilities = {  # core.api_permissions.HasCapability (ADR 0013)
        "list": "organisation.read",
        "retrieve": "organisation.read",
    }
    # A non-numeric or out-of-range id is a plain 404 (get_object_or_404 and Django's
    # integer lookups see to that), in JSON like every other API answer.
    pagination_class = Pagination


@extend_schema_view(
    list=extend_schema(summary="Stadsdelar", tags=["organisation"]),
    retrieve=extend_schema(summary="En stadsdel", tags=["organisation"]),
)
class DistrictViewSet(OrganisationViewSet):
    """Stadsdelsförvaltningar (and Enheten för hemlösa), current and historical."""

    queryset = District.objects.order_by("name", "id")
    serializer_class = serializers.DistrictSerializer


@extend_schema_view(
    list=extend_schema(summary="Jobbtorg", tags=["organisation"]),
    retrieve=extend_schema(summary="Ett jobbtorg", tags=["organisation"]),
)
class JobbtorgUnitViewSet(OrganisationViewSet):
    queryset = JobbtorgUnit.objects.order_by("name", "id")
    serializer_class = serializers.JobbtorgUnitSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Upptagningsområden",
        description="Vilket jobbtorg som betjänar vilken stadsdel. Med `on` bara de som gällde den dagen.",
        parameters=[serializers.ServiceAreaFilterSerializer],
        tags=["organisation"],
    ),
    retrieve=extend_schema(summary="Ett upptagningsområde", tags=["organisation"]),
)
class ServiceAreaViewSet(OrganisationViewSet):
    serializer_class = serializers.ServiceAreaSerializer

    def get_queryset(self) -> QuerySet[ServiceArea]:
        qs = ServiceArea.objects.select_related("district", "unit").order_by("district__name", "valid_from", "id")
        if self.action != "list":
            return qs
        params = serializers.ServiceAreaFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        if "on" in filters:
            qs = qs.valid_on(filters["on"])
        if "district" in filters:
            qs = qs.filter(district_id=filters["district"])
        if "unit" in filters:
            qs = qs.filter(unit_id=filters["unit"])
        return qs


@extend_schema_view(
    list=extend_schema(summary="Arbetsförmedlingens enheter", tags=["organisation"]),
    retrieve=extend_schema(summary="En enhet hos Arbetsförmedlingen", tags=["organisation"]),
)
class AFUnitViewSet(OrganisationViewSet):
    queryset = AFUnit.objects.order_by("name", "id")
    serializer_class = serializers.AFUnitSerializer


@extend_schema_view(
    list=extend_schema(summary="Anordnare", tags=["organisation"]),
    retrieve=extend_schema(summary="En anordnare", tags=["organisation"]),
)
class ProviderViewSet(OrganisationViewSet):
    queryset = Provider.objects.order_by("name", "id")
    serializer_class = serializers.ProviderSerializer


@extend_schema_view(
    list=extend_schema(summary="Arbetsgivare med kontaktpersoner", tags=["organisation"]),
    retrieve=extend_schema(summary="En arbetsgivare med kontaktpersoner", tags=["organisation"]),
)
class EmployerViewSet(OrganisationViewSet):
    queryset = Employer.objects.prefetch_related("contacts").order_by("name", "id")
    serializer_class = serializers.EmployerSerializer


def register(router) -> None:
    router.register("districts", DistrictViewSet, basename="district")
    router.register("units", JobbtorgUnitViewSet, basename="unit")
    router.register("service-areas", ServiceAreaViewSet, basename="service-area")
    router.register("af-units", AFUnitViewSet, basename="af-unit")
    router.register("providers", ProviderViewSet, basename="provider")
    router.register("employers", EmployerViewSet, basename="employer")
