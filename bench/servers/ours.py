"""The generated server (``generated/icws_api``) with a handler that accepts every call."""

from __future__ import annotations

from icws_api.models import UpdateStageParameters
from icws_api.server import DialerApi, RequestContext, create_app


class Dialer(DialerApi):
    async def update_stage(self, ctx: RequestContext, body: UpdateStageParameters) -> None:
        return None


app = create_app(dialer=Dialer())
