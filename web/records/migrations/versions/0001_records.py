"""Searches, result clicks and article votes.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "searches",
        sa.Column("id", sa.String(16), primary_key=True, comment="random id, carried by result links as ?from="),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("query", sa.String(200), nullable=False, comment="normalized query text"),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("results", sa.Integer, nullable=False),
        sa.Column("approximate", sa.Boolean, nullable=True),
        sa.Column("shown", sa.Text, nullable=False, comment="ids of the results shown, space-separated"),
    )
    op.create_index("ix_searches_at", "searches", ["at"])
    op.create_table(
        "clicks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("search_id", sa.String(16), nullable=False),
        sa.Column("article_id", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False, comment="the language of the article opened"),
    )
    op.create_index("ix_clicks_at", "clicks", ["at"])
    op.create_index("ix_clicks_search_id", "clicks", ["search_id"])
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("article_id", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("comment", sa.String(500), nullable=True),
    )
    op.create_index("ix_votes_at", "votes", ["at"])


def downgrade() -> None:
    op.drop_table("votes")
    op.drop_table("clicks")
    op.drop_table("searches")
