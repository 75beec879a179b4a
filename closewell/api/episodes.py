"""Episodes (CIN referrals) and their plans with each planned action."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.cases.models import Episode, EpisodeStatus, Plan, PlannedAction
from closewell.cases.selectors import episode_get_for_user, episode_plans_for_user, episodes_list_for_user
from closewell.familyhelp.selectors import loop_back

from .common import TeamSerializer, UserSerializer, int_param
from .handovers import LoopBackSerializer


class EpisodeSerializer(serializers.ModelSerializer):
    team = TeamSerializer()
    worker = UserSerializer(allow_null=True)
    child_name = serializers.CharField(source="child.full_name")
    loop_back = serializers.SerializerMethodField(
        help_text="Referred again within 12 months of a closure: that closure, its Closure Record and "
        "its handover to Family Help, with the signs that were to be watched for. Null otherwise."
    )

    class Meta:
        model = Episode
        fields = [
            "id",
            "loop_back",
            "child",
            "child_name",
            "referral_date",
            "referral_source",
            "primary_need",
            "referral_nfa",
            "team",
            "worker",
            "status",
            "closed_at",
            "closure_date",
            "reason_for_closure",
            "previous_episode",
            "is_re_referral",
            "source_id",
        ]

    @extend_schema_field(LoopBackSerializer(allow_null=True))
    def get_loop_back(self, episode):
        loop = loop_back(episode) if episode.is_re_referral else None
        return LoopBackSerializer(loop).data if loop else None


class EpisodeList(generics.ListAPIView):
    serializer_class = EpisodeSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("child", int, description="Only this child's episodes."),
            OpenApiParameter("status", str, enum=EpisodeStatus.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        """One child's episodes (?child=) are a read of that child's case, audited once."""
        return episodes_list_for_user(
            self.request.user,
            child_id=int_param(self.request, "child"),
            status=self.request.query_params.get("status"),
        )


class EpisodeDetail(APIView):
    @extend_schema(responses=EpisodeSerializer)
    def get(self, request, pk: int):
        """One episode. Reading it is audited."""
        return Response(EpisodeSerializer(episode_get_for_user(request.user, pk)).data)


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedAction
        fields = [
            "id",
            "plan",
            "is_unplanned",
            "dimension",
            "parent",
            "description",
            "responsible",
            "responsible_name",
            "planned_level",
            "start_date",
            "end_date",
            "actual_level",
            "outcome",
            "impact",
            "version",
        ]


class PlanSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "episode",
            "kind",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "number_of_previous_cpp",
            "actions",
            "source_id",
        ]


class EpisodePlans(generics.ListAPIView):
    """An episode's plans (CIN, child protection, care, pathway), each with its actions."""

    serializer_class = PlanSerializer

    def get_queryset(self):
        return episode_plans_for_user(self.request.user, self.kwargs["pk"])
