"""Projects, their settings and label sets, and their members."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, project_for, require_project_creator, require_role, visible_projects
from claims.models import Membership, Project, Role, StanceLabel
from claims.services.accounts import SIGN_IN_METHODS, account_create
from claims.services.projects import (
    membership_remove,
    membership_set,
    project_archive,
    project_create,
    project_restore,
    project_update,
)

from .fields import StrictInputSerializer, StrictIntegerField
from .pagination import Cursor
from .schema import WRITE_ERRORS

NO_SUCH_USER = "No active user has this username."


@extend_schema_serializer(component_name="StanceLabelWrite")
class StanceLabelInput(StrictInputSerializer):
    value = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=100, required=False)
    shortcut = serializers.CharField(max_length=1, required=False, allow_blank=True)
    colour = serializers.CharField(max_length=7, required=False)
    for_mentions = serializers.BooleanField(required=False)
    for_articles = serializers.BooleanField(required=False)
    fnc1 = serializers.CharField(max_length=10, required=False, allow_blank=True)
    emergent = serializers.CharField(max_length=10, required=False, allow_blank=True)
    semeval = serializers.CharField(max_length=10, required=False, allow_blank=True)


@extend_schema_serializer(component_name="StanceLabel")
class StanceLabelOutput(serializers.ModelSerializer):
    class Meta:
        model = StanceLabel
        fields = ["value", "name", "shortcut", "colour", "for_mentions", "for_articles", "fnc1", "emergent",
                  "semeval"]  # fmt: skip


@extend_schema_serializer(component_name="Project")
class ProjectOutput(serializers.ModelSerializer):
    stance_labels = StanceLabelOutput(many=True, read_only=True)
    role = serializers.CharField(source="my_role", read_only=True, allow_null=True, help_text="The caller's role.")

    class Meta:
        model = Project
        fields = ["id", "name", "slug", "description", "guidelines", "annotators_per_article", "blind_annotation",
                  "preannotate_on_import", "stance_labels", "role", "created_at", "archived_at"]  # fmt: skip
        extra_kwargs = {"archived_at": {"help_text": "When the project was archived (read-only); null when active."}}


@extend_schema_serializer(component_name="ProjectWrite")
class ProjectInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "role", "created_at", "archived_at")
    name = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    annotators_per_article = StrictIntegerField(min_value=1, max_value=50, required=False)
    blind_annotation = serializers.BooleanField(required=False)
    preannotate_on_import = serializers.BooleanField(required=False)
    guidelines = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=200_000)
    stance_labels = StanceLabelInput(many=True, required=False)


@extend_schema_serializer(component_name="ProjectChange")
class ProjectUpdateInput(ProjectInput):
    name = serializers.CharField(max_length=200, required=False)


class ProjectListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = ProjectOutput

    def get_queryset(self):
        return visible_projects(self.request.user).with_stance_labels()

    @extend_schema(responses=ProjectOutput(many=True), summary="Projects the caller is a member of")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProjectOutput(page, many=True).data)

    @extend_schema(
        request=ProjectInput,
        responses={201: ProjectOutput, **WRITE_ERRORS},
        summary="Create a project (staff, managers)",
    )
    def post(self, request):
        require_project_creator(request.user)
        data = ProjectInput(data=request.data)
        data.is_valid(raise_exception=True)
        project = project_create(created_by=request.user, **data.validated_data)
        return Response(ProjectOutput(visible_projects(request.user).get(pk=project.pk)).data, status.HTTP_201_CREATED)


class ProjectDetail(APIView):
    @extend_schema(responses=ProjectOutput, summary="A project with its label set")
    def get(self, request, pk: int):
        return Response(ProjectOutput(project_for(request.user, pk)).data)

    @extend_schema(
        request=ProjectUpdateInput, responses={200: ProjectOutput, **WRITE_ERRORS}, summary="Change settings (managers)"
    )
    def patch(self, request, pk: int):
        project = project_for(request.user, pk, MANAGING)
        data = ProjectUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project_update(project=project, **data.validated_data)
        return Response(ProjectOutput(visible_projects(request.user).get(pk=pk)).data)


class ProjectArchive(APIView):
    @extend_schema(
        request=None,
        responses={200: ProjectOutput, **WRITE_ERRORS},
        summary="Archive the project (managers): read-only, hidden from annotators; reads and exports still work",
    )
    def post(self, request, pk: int):
        project_archive(project=project_for(request.user, pk, MANAGING))
        return Response(ProjectOutput(visible_projects(request.user).get(pk=pk)).data)


class ProjectRestore(APIView):
    @extend_schema(
        request=None, responses={200: ProjectOutput, **WRITE_ERRORS}, summary="Restore an archived project (managers)"
    )
    def post(self, request, pk: int):
        project_restore(project=project_for(request.user, pk, MANAGING))
        return Response(ProjectOutput(visible_projects(request.user).get(pk=pk)).data)


@extend_schema_serializer(component_name="Member")
class MemberOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    user_id = serializers.IntegerField(source="user.pk")

    class Meta:
        model = Membership
        fields = ["user_id", "username", "role", "created_at"]


@extend_schema_serializer(component_name="MemberWrite")
class MemberInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "user_id")
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


@extend_schema_serializer(component_name="MemberRoleChange")
class MemberRoleInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "user_id", "username")
    role = serializers.ChoiceField(choices=Role.choices)


def _active_user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise serializers.ValidationError({"username": [NO_SUCH_USER]})
    return user


class MemberListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = MemberOutput

    def project(self) -> Project:
        return project_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=MemberOutput(many=True), summary="Members of the project")
    def get(self, request, pk: int):
        project = self.project()
        page = self.paginate_queryset(project.memberships.select_related("user"))
        return self.get_paginated_response(MemberOutput(page, many=True).data)

    @extend_schema(
        request=MemberInput, responses={201: MemberOutput, **WRITE_ERRORS}, summary="Add a member or change a role"
    )
    def post(self, request, pk: int):
        project = self.project()
        require_role(request.user, project, MANAGING)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_set(
            project=project, user=_active_user(data.validated_data["username"]), role=data.validated_data["role"]
        )
        return Response(MemberOutput(membership).data, status=status.HTTP_201_CREATED)


class MemberDetail(APIView):
    def membership(self, request, pk: int, username: str) -> Membership:
        project = project_for(request.user, pk)
        if "\x00" in username:  # no one is called that, and PostgreSQL cannot compare it
            raise Http404
        return get_object_or_404(project.memberships.select_related("user", "project"), user__username=username)

    @extend_schema(responses=MemberOutput, summary="One member")
    def get(self, request, pk: int, username: str):
        return Response(MemberOutput(self.membership(request, pk, username)).data)

    @extend_schema(
        request=MemberRoleInput,
        responses={200: MemberOutput, **WRITE_ERRORS},
        summary="Change a member's role (managers)",
    )
    def patch(self, request, pk: int, username: str):
        membership = self.membership(request, pk, username)
        require_role(request.user, membership.project, MANAGING)
        data = MemberRoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_set(project=membership.project, user=membership.user, role=data.validated_data["role"])
        return Response(MemberOutput(membership).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "release_work",
                OpenApiTypes.BOOL,
                description="Give their unsubmitted work back to the pool "
                "(its labels are deleted); without it, a member holding unsubmitted work is not removed (400).",
            )
        ],
        responses={204: None, **WRITE_ERRORS},
        summary="Remove a member (managers); their submitted work stays",
    )
    def delete(self, request, pk: int, username: str):
        membership = self.membership(request, pk, username)
        require_role(request.user, membership.project, MANAGING)
        options = MemberRemoveOptions(data=request.query_params)
        options.is_valid(raise_exception=True)
        membership_remove(
            project=membership.project, user=membership.user, release_work=options.validated_data["release_work"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberRemoveOptions(serializers.Serializer):
    release_work = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(component_name="AccountWrite")
class AccountInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False, default=Role.ANNOTATOR)
    sign_in = serializers.ChoiceField(
        choices=SIGN_IN_METHODS, required=False, default=SIGN_IN_METHODS[0],
        help_text="link: a one-time sign-in link to choose a password; password: a generated password, to be "
        "changed at the first sign-in.",
    )  # fmt: skip


@extend_schema_serializer(component_name="NewAccount")
class AccountOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    sign_in_url = serializers.CharField(
        allow_null=True, help_text="The one-time sign-in link (sign_in=link); shown this once, never again."
    )
    password = serializers.CharField(
        allow_null=True, help_text="The generated password (sign_in=password); shown this once, never again."
    )


class AccountCreate(APIView):
    @extend_schema(
        request=AccountInput,
        responses={201: AccountOutput, **WRITE_ERRORS},
        summary="Create an account for a new member (managers); the answer holds its one-time secret",
    )
    def post(self, request, pk: int):
        project = project_for(request.user, pk, MANAGING)
        data = AccountInput(data=request.data)
        data.is_valid(raise_exception=True)
        account = account_create(project=project, **data.validated_data)
        user = account.membership.user
        link = account.sign_in_path and request.build_absolute_uri(account.sign_in_path)
        body = {"user_id": user.pk, "username": user.username, "email": user.email, "role": account.membership.role,
                "sign_in_url": link, "password": account.password}  # fmt: skip
        # The secret is in this answer only: no cache, no proxy may keep a copy.
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})
