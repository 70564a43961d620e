"""The domain model (docs/data-model.md): one module per part of the domain, all importable from here."""

from .accounts import PasswordChangeRequired
from .annotations import OPEN_STATUSES, ArticleStance, Assignment, AssignmentStatus, ClaimMention, QuoteType
from .articles import Article
from .jobs import Job, JobKind, JobStatus
from .projects import (
    DEFAULT_STANCE_LABELS,
    EmergentLabel,
    Fnc1Label,
    Membership,
    Project,
    Role,
    SemevalLabel,
    StanceLabel,
)
from .releases import Release
from .speakers import Speaker, SpeakerAlias, SpeakerKind
from .suggestions import Decision, Suggestion, SuggestionDecision
from .tokens import TokenHolder
from .tracked_claims import Claim, ClaimTerm

__all__ = [
    "DEFAULT_STANCE_LABELS",
    "OPEN_STATUSES",
    "Article",
    "ArticleStance",
    "Assignment",
    "AssignmentStatus",
    "Claim",
    "ClaimMention",
    "ClaimTerm",
    "Decision",
    "EmergentLabel",
    "Fnc1Label",
    "Job",
    "JobKind",
    "JobStatus",
    "Membership",
    "PasswordChangeRequired",
    "Project",
    "QuoteType",
    "Release",
    "Role",
    "SemevalLabel",
    "Speaker",
    "SpeakerAlias",
    "SpeakerKind",
    "StanceLabel",
    "Suggestion",
    "SuggestionDecision",
    "TokenHolder",
]
