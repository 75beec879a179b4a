"""Children: the list of those whose cases the token's user may read, and one child."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.cases.models import Child
from closewell.cases.selectors import child_get_for_user, children_for_user


class ChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = [
            "id",
            "la_child_id",
            "upn",
            "upn_unknown",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "disabilities",
            "date_of_death",
            "care_leaver_status",
        ]


class ChildList(generics.ListAPIView):
    serializer_class = ChildSerializer

    @extend_schema(
        parameters=[OpenApiParameter("la_child_id", str, description="Only the child with this LA child ID.")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return children_for_user(
            self.request.user, la_child_id=self.request.query_params.get("la_child_id", "")
        )


class ChildDetail(APIView):
    @extend_schema(responses=ChildSerializer)
    def get(self, request, pk: int):
        """One child. Reading a child's record is audited, as on the pages."""
        return Response(ChildSerializer(child_get_for_user(request.user, pk)).data)
