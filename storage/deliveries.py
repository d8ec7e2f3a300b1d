"""De-duplication of platform deliveries (Slack event retries, Teams activity resends)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedDelivery
from storage.upserts import insert_if_absent


async def claim_delivery(*, session: AsyncSession, key: str, now: datetime) -> bool:
    """True the first time a delivery key is seen; committed with the work it caused."""
    return await insert_if_absent(
        session, ProcessedDelivery, {"key": key, "processed_at": now}, ["key"]
    )
