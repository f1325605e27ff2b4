from wagtail.api.v2.router import WagtailAPIRouter

from campaigns.api import DemandsAPIViewSet
from deliberation.api import AmendmentsAPIViewSet, DecisionsAPIViewSet
from events.api import EventsAPIViewSet
from networks.api import NetworksAPIViewSet
from pledges.api import PledgesAPIViewSet
from surveys.api import SurveysAPIViewSet
from targets.api import TargetsAPIViewSet

api_router = WagtailAPIRouter("api")
api_router.register_endpoint("networks", NetworksAPIViewSet)
api_router.register_endpoint("events", EventsAPIViewSet)
api_router.register_endpoint("demands", DemandsAPIViewSet)
api_router.register_endpoint("amendments", AmendmentsAPIViewSet)
api_router.register_endpoint("decisions", DecisionsAPIViewSet)
api_router.register_endpoint("pledges", PledgesAPIViewSet)
api_router.register_endpoint("targets", TargetsAPIViewSet)
api_router.register_endpoint("surveys", SurveysAPIViewSet)
