"""Read-only representations of the city's organisation for the API."""

from rest_framework import serializers

from jobbtorg.organisation.models import AFUnit, District, Employer, EmployerContact, JobbtorgUnit, Provider, ServiceArea


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name", "kind", "valid_from", "valid_to"]


class JobbtorgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobbtorgUnit
        fields = ["id", "code", "name", "location", "specialisation", "valid_from", "valid_to"]


class ServiceAreaSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ServiceArea
        fields = [
            "id",
            "district",
            "district_code",
            "district_name",
            "unit",
            "unit_code",
            "unit_name",
            "valid_from",
            "valid_to",
        ]


class ServiceAreaFilterSerializer(serializers.Serializer):
    """Query parameters of the service-area list."""

    on = serializers.DateField(
        required=False,
        help_text="Visa upptagningsområdena som gällde denna dag (ÅÅÅÅ-MM-DD).",
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD."},
    )
    district = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="Stadsdelens id.")
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="Jobbtorgets id.")


class AFUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AFUnit
        fields = ["id", "code", "name", "areas"]


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "name", "kind", "org_number", "active"]


class EmployerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "name", "title", "email", "phone", "is_supervisor"]


class EmployerSerializer(serializers.ModelSerializer):
    contacts = EmployerContactSerializer(many=True, read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "name", "kind", "org_number", "contacts"]
