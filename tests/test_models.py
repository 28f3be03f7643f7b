"""The generated models against the JSON bodies of the seed pages."""

from __future__ import annotations

import json

import pytest
from icws_api.models import (
    AgentType,
    AgentTypeParameters,
    ApiModel,
    ConstantsModel,
    Error,
    IcAuthConnectionRequestSettings,
    MarkCallForFinishingParameters,
    UpdateStageParameters,
)
from pydantic import ValidationError

SEED_BODIES = [
    (
        MarkCallForFinishingParameters,
        {"callId": "1001", "campaignId": "c1", "callAttributes": {"a": "b"}},
    ),
    (MarkCallForFinishingParameters, {"callId": "1001", "campaignId": "c1"}),
    (UpdateStageParameters, {"agentId": "agent", "newStageId": 3, "campaignId": "c1"}),
    (UpdateStageParameters, {"newStageId": -2147483648, "campaignId": "c1"}),
    (AgentTypeParameters, {"agentType": 2, "campaignIds": ["c1", "c2"]}),
    (Error, {"errorId": "error.request.invalid", "message": "Bad"}),
    (Error, {"message": "Only the message"}),
]


@pytest.mark.parametrize(("model", "body"), SEED_BODIES)
def test_wire_json_round_trips(model: type[Error], body: dict[str, object]) -> None:
    parsed = model.model_validate_json(json.dumps(body))
    assert parsed.model_dump(mode="json", exclude_unset=True) == body
    assert json.loads(parsed.model_dump_json(exclude_unset=True)) == body


def test_python_names_in_wire_names_out() -> None:
    body = UpdateStageParameters(new_stage_id=3, campaign_id="c1")
    assert body.model_dump(mode="json", exclude_unset=True) == {"newStageId": 3, "campaignId": "c1"}
    assert "agentId" not in body.model_dump_json(exclude_unset=True)
    assert UpdateStageParameters.model_validate({"newStageId": 3, "campaignId": "c1"}) == body


def test_enum_members_have_names_and_travel_as_integers() -> None:
    assert [(m.name, m.value) for m in AgentType] == [
        ("REGULAR", 1),
        ("FINISHING", 2),
        ("COMPOSITE", 3),
    ]
    body = AgentTypeParameters(agent_type=AgentType.COMPOSITE, campaign_ids=["k"])
    assert body.model_dump_json() == '{"agentType":3,"campaignIds":["k"]}'


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (UpdateStageParameters, {"newStageId": 2147483648, "campaignId": "c"}, "newStageId"),
        (UpdateStageParameters, {"newStageId": -2147483649, "campaignId": "c"}, "newStageId"),
        (UpdateStageParameters, {"newStageId": "3", "campaignId": "c"}, "newStageId"),
        (UpdateStageParameters, {"newStageId": 3.5, "campaignId": "c"}, "newStageId"),
        (UpdateStageParameters, {"newStageId": True, "campaignId": "c"}, "newStageId"),
        (UpdateStageParameters, {"newStageId": 3}, "campaignId"),
        (UpdateStageParameters, {"newStageId": 3, "campaignId": None}, "campaignId"),
        (AgentTypeParameters, {"agentType": 4, "campaignIds": ["c"]}, "agentType"),
        (AgentTypeParameters, {"agentType": 1, "campaignIds": []}, "campaignIds"),
        (AgentTypeParameters, {"agentType": 1, "campaignIds": [1]}, "campaignIds"),
        (
            MarkCallForFinishingParameters,
            {"callId": "1", "campaignId": "c", "callAttributes": {"a": 1}},
            "callAttributes",
        ),
        (Error, {"errorId": "x"}, "message"),
    ],
)
def test_invalid_bodies_are_rejected_naming_the_field(
    model: type[Error], body: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        model.model_validate_json(json.dumps(body))
    assert exc.value.errors()[0]["loc"][0] == field


def test_unknown_properties_are_ignored() -> None:
    body = UpdateStageParameters.model_validate_json(
        '{"__type": "x", "newStageId": 1, "campaignId": "c"}'
    )
    assert body.model_dump(mode="json", exclude_unset=True) == {"newStageId": 1, "campaignId": "c"}


def test_only_models_with_constant_fields_pay_for_their_checks() -> None:
    """The checks for constant fields run on the models that have some, and no other."""
    assert issubclass(IcAuthConnectionRequestSettings, ConstantsModel)
    assert IcAuthConnectionRequestSettings.constants == {"type": "__type"}
    with pytest.raises(ValidationError, match="__type: Field required"):
        IcAuthConnectionRequestSettings.model_validate_json(
            '{"userID": "u", "password": "p", "applicationName": "a"}'
        )
    for plain in (UpdateStageParameters, AgentTypeParameters, Error):
        assert issubclass(plain, ApiModel) and not issubclass(plain, ConstantsModel)
