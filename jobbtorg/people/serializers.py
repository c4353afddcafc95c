"""API representations of a person.

Reading: `PersonSummarySerializer` for lists (identity only, data minimisation) and
`PersonSerializer` for one person, whose address and contact details are null unless
the access decision says `see_contact_details` (protected identities, LEGAL.md).

Writing: the input serializers only parse (types, lengths, known district); every
rule about the person (personnummer checksum and date, duplicates, protection level,
who may do what) is people.services' and core.personnummer's.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.core.validators import validate_person_name
from jobbtorg.organisation.models import District
from jobbtorg.people.models import Person, ProtectionLevel

CONTACT_FIELDS = ("street_address", "postal_code", "city", "phone", "email")


class PersonSummarySerializer(serializers.ModelSerializer):
    personnummer = serializers.CharField(read_only=True, help_text="Normaliserat: 12 siffror.")
    personnummer_display = serializers.CharField(read_only=True, help_text="Formaterat: ÅÅÅÅMMDD-NNNN.")
    age = serializers.SerializerMethodField(help_text="Ålder i dag, räknad från personnumret.")
    home_district_name = serializers.CharField(source="home_district.name", read_only=True)
    is_protected = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "personnummer",
            "personnummer_display",
            "first_name",
            "last_name",
            "age",
            "home_district",
            "home_district_name",
            "protection_level",
            "is_protected",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_age(self, person: Person) -> int:
        return person.age


class PersonSerializer(PersonSummarySerializer):
    """One person. Contact fields are null when this user may not see them."""

    street_address = serializers.CharField(read_only=True, allow_null=True)
    postal_code = serializers.CharField(read_only=True, allow_null=True)
    city = serializers.CharField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)
    email = serializers.CharField(read_only=True, allow_null=True)
    contact_details_hidden = serializers.SerializerMethodField(
        help_text="Sant när adress och kontaktuppgifter döljs för dig (skyddad identitet)."
    )

    class Meta(PersonSummarySerializer.Meta):
        fields = [*PersonSummarySerializer.Meta.fields, *CONTACT_FIELDS, "contact_details_hidden", "version"]
        read_only_fields = fields

    def _see_contact(self) -> bool:
        # Default hidden: a caller that forgets to pass the decision shows nothing.
        return bool(self.context.get("see_contact_details", False))

    @extend_schema_field(serializers.BooleanField())
    def get_contact_details_hidden(self, person: Person) -> bool:
        return not self._see_contact()

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self._see_contact():
            for name in CONTACT_FIELDS:
                data[name] = None
        return data


class TextField(serializers.CharField):
    """A CharField that takes only text: DRF's own turns 12 or [..] into "12" silently."""

    default_error_messages = {"invalid": "Ange text."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DistrictField(serializers.PrimaryKeyRelatedField):
    """A district id: an integer (or digits as text), never 1.5 (which Django would round to 1)."""

    default_error_messages = {
        "required": "Det här fältet är obligatoriskt.",
        "does_not_exist": "Stadsdelen finns inte.",
        "incorrect_type": "Ange stadsdelens id som ett heltal.",
    }

    def to_internal_value(self, data: Any) -> District:
        if isinstance(data, bool) or not (isinstance(data, int) or (isinstance(data, str) and data.isdigit())):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(data) <= 0 or int(data) >= 2**63:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))


class _PersonInputSerializer(serializers.Serializer):
    """Shared input fields; lengths follow the model so no database ever sees an over-long value.

    Unknown fields are refused rather than ignored: a misspelt field in a PATCH must not
    look like a successful change.
    """

    personnummer = TextField(
        max_length=20,
        help_text="Personnummer eller samordningsnummer: 12 siffror, eller 10 med - eller + före de fyra sista.",
    )
    first_name = TextField(max_length=100, validators=[validate_person_name])
    last_name = TextField(max_length=100, validators=[validate_person_name])
    home_district = DistrictField(queryset=District.objects.all(), help_text="Hemstadsdelens id (se /api/v1/districts/).")
    street_address = TextField(max_length=200, required=False, allow_blank=True)
    postal_code = TextField(max_length=6, required=False, allow_blank=True)
    city = TextField(max_length=100, required=False, allow_blank=True)
    phone = TextField(max_length=30, required=False, allow_blank=True)
    email = TextField(max_length=254, required=False, allow_blank=True)
    protection_level = serializers.ChoiceField(choices=ProtectionLevel.choices, required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Skicka personens uppgifter som ett JSON-objekt."]})
        unknown = sorted(set(data) - set(self.fields))
        errors = {name: ["Fältet finns inte eller kan inte ändras här."] for name in unknown[:20]}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**errors, **exc.detail}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return values


class PersonCreateSerializer(_PersonInputSerializer):
    pass


class PersonUpdateSerializer(_PersonInputSerializer):
    """PATCH: any subset of the fields, and always the `version` that was read."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Versionen du läste. Har någon annan ändrat personen sedan dess blir svaret 409.",
        error_messages={"required": "Ange vilken version av personen du ändrar (fältet version)."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class PersonFilterSerializer(serializers.Serializer):
    """Query parameters of the person list."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Personnummer (10 eller 12 siffror) eller namn (början av för- eller efternamn).",
    )


class LowerProtectionSerializer(serializers.Serializer):
    """Input of lower-protection: the lower level, the stated reason and the version read."""

    protection_level = serializers.ChoiceField(
        choices=ProtectionLevel.choices,
        help_text="Den nya, lägre skyddsnivån.",
        error_messages={
            "required": "Ange den nya skyddsnivån.",
            "invalid_choice": "Välj en skyddsnivå i listan.",
        },
    )
    reason = TextField(
        max_length=500,
        help_text="Skälet till att skyddet sänks, till exempel ändrade uppgifter från Skatteverket.",
        error_messages={"required": "Ange skälet till att skyddet sänks.", "blank": "Ange skälet till att skyddet sänks."},
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": "Ange vilken version av personen du ändrar (fältet version)."},
    )


class ProtectionLevelSerializer(serializers.ModelSerializer):
    """The answer of lower-protection: no personal data (the caller may have no other relation)."""

    class Meta:
        model = Person
        fields = ["id", "protection_level", "version"]
        read_only_fields = fields
