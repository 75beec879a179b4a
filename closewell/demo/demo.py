"""The demo: invented teams, users and nine children's cases in the fictional town of Northmoor.

Everyone here is made up: names, addresses, phone numbers and reference numbers. Dates are counted
back from the day the demo is loaded, so the cases always look current. In the text, ``[[120]]``
stands for the date 120 days before that day and ``[[+90]]`` for 90 days after it.

``load_demo()`` is idempotent: users are keyed by username (their details and password are reset),
children by LA child ID (a case that is already there is left exactly as it is).
"""

import calendar
import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.cases.codes import Parent
from closewell.cases.models import (
    Assessment,
    Child,
    DomesticAbuse,
    EpisodeStatus,
    LookedAfterPeriod,
    Place,
    Plan,
    Section47,
)
from closewell.cases.services import action_create, child_create, contact_create, episode_open, person_add
from closewell.census.rules import upn_check_letter
from closewell.core.dates import birthday
from closewell.demo import handover

DEMO_PASSWORD = "closewell-demo"  # noqa: S105 (shared, printed demo password; demo data only)

EAST = "Northmoor East Family Support"
WEST = "Northmoor West Safeguarding"
LEAVING = "Northmoor Leaving Care"
TEAMS = (EAST, WEST, LEAVING)

USERS = [
    {
        "username": "worker.east",
        "first_name": "Priya",
        "last_name": "Nandakumar",
        "role": Role.SOCIAL_WORKER,
        "team": EAST,
    },
    {
        "username": "worker.west",
        "first_name": "Daniel",
        "last_name": "Whitcombe",
        "role": Role.SOCIAL_WORKER,
        "team": WEST,
    },
    {
        "username": "worker.leaving",
        "first_name": "Funmi",
        "last_name": "Adeyemo",
        "role": Role.SOCIAL_WORKER,
        "team": LEAVING,
    },
    {
        "username": "manager",
        "first_name": "Helen",
        "last_name": "Ashdown",
        "role": Role.TEAM_MANAGER,
        "managed": (EAST, WEST),
    },
    {
        "username": "manager.leaving",
        "first_name": "Colin",
        "last_name": "Marrable",
        "role": Role.TEAM_MANAGER,
        "managed": (LEAVING,),
    },
    {"username": "data", "first_name": "Ruth", "last_name": "Penhallow", "role": Role.DATA_OFFICER},
    {
        "username": "admin",
        "first_name": "Sam",
        "last_name": "Ilesanmi",
        "role": Role.ADMINISTRATOR,
    },
    # A Family Help lead practitioner outside the council, handed Lily-Mae Dawson (demo/handover.py).
    {
        "username": "lead.practitioner",
        "first_name": "Bethan",
        "last_name": "Okafor",
        "role": Role.LEAD_PRACTITIONER,
        "organisation": "Brookside Family Hub (Northmoor Community Trust)",
    },
    # A second administrator: a role, team, password or authenticator change one asks for, the other
    # approves (README, "Two administrators").
    {
        "username": "admin.second",
        "first_name": "Tamsin",
        "last_name": "Quarrie",
        "role": Role.ADMINISTRATOR,
    },
]


def contact(days, time, kind, note, *, seen=False, alone=False, people=(), work="direct"):
    """A contact ``days`` before the demo's today, at ``time`` ("HH:MM")."""
    return {
        "days": days,
        "time": time,
        "kind": kind,
        "note": note,
        "child_seen": seen,
        "child_seen_alone": alone,
        "people": people,
        "work": work,
    }


def action(
    dimension,
    description,
    responsible,
    who,
    planned,
    start,
    end,
    actual="",
    outcome="",
    *,
    parent=Parent.BIRTH_FAMILY,
    unplanned=False,
    impact="",
):
    """A planned action (or an unplanned service); start and end are days before today."""
    return {
        "dimension": dimension,
        "description": description,
        "responsible": responsible,
        "responsible_name": who,
        "planned_level": planned,
        "start": start,
        "end": end,
        "actual_level": actual,
        "outcome": outcome,
        "parent": parent,
        "is_unplanned": unplanned,
        "impact": impact,
    }


# ---------------------------------------------------------------------------------------------
# a) Family support after a premature birth: childminding, short breaks, a Home-Start volunteer.
ELLIE = {
    "child": {
        "la_child_id": "NM100001",
        "first_name": "Ellie",
        "last_name": "Marsh",
        "dob": {"years": 4, "months": 3, "days": 11},
        "sex": "F",
        "ethnicity": "WBRI",
        "upn_unknown": "UN6",
        "disabilities": ["NONE"],
    },
    "episodes": [
        {
            "team": EAST,
            "worker": "worker.east",
            "referral": 270,
            "source": "3B",
            "need": "N4",
            "people": {
                "mother": {
                    "first_name": "Kerry",
                    "last_name": "Marsh",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "address": "14 Larch Close, Northmoor NM4 2QT",
                    "phone": "07700 900114",
                },
                "father": {
                    "first_name": "Daniel",
                    "last_name": "Price",
                    "relationship": "father",
                    "pr": True,
                    "address": "9 Millbrook Terrace, Northmoor NM3 8BE",
                    "phone": "07700 900287",
                },
                "brother": {
                    "first_name": "Noah",
                    "last_name": "Marsh",
                    "relationship": "sibling",
                    "lives": True,
                    "address": "14 Larch Close, Northmoor NM4 2QT",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start": 268,
                    "authorised": 236,
                    "factors": ["4B"],
                    "summary": (
                        "Ms Marsh moved to Northmoor from the north-east eight months before the referral, "
                        "to be nearer her work, and has no family nearby. Ellie's brother Noah was born at "
                        "30 weeks and spent seven weeks in the neonatal unit. Ms Marsh told the health visitor "
                        "she was not sleeping, was crying most days and felt she was 'failing both of them'. "
                        "Ellie is a bright, chatty girl who is well cared for, but she had stopped going to "
                        "nursery because her mother could not manage the journey with Noah's appointments. "
                        "Ms Marsh agreed to be referred to the perinatal mental health team. Outcome: child in "
                        "need plan to support Ms Marsh and give Ellie time with other children."
                    ),
                }
            ],
            "plans": [
                {
                    "kind": "cin",
                    "start": 230,
                    "end": None,
                    "actions": [
                        action(
                            "stimulation",
                            "Sponsored childminding for Ellie three mornings a week, so "
                            "she has time with other children while Noah attends appointments.",
                            "service",
                            "Mrs Rekha Patel, registered childminder, 3 Rowan Way",
                            "3 mornings a week for 6 months",
                            226,
                            40,
                            "3 mornings a week for 26 weeks; 5 sessions missed over Christmas",
                            "Ellie settled within two weeks. The childminder reports she now plays "
                            "happily with others and her speech and confidence have come on well.",
                        ),
                        action(
                            "family_social_relationships",
                            "Short break care for Ellie one weekend a "
                            "month with an approved short break carer.",
                            "service",
                            "Northmoor Short Breaks (carers Mr and Mrs Okafor)",
                            "one weekend a month for 6 months",
                            215,
                            60,
                            "5 weekends out of 6; one cancelled when Ellie had chickenpox",
                            "Ellie looked forward to her weekends and talked about the Okafors' dog. "
                            "Ms Marsh used the time to rest and to spend time with Noah. Ended by "
                            "agreement at the review on [[30]] as no longer needed.",
                        ),
                        action(
                            "social_integration",
                            "A Home-Start volunteer to visit weekly and go with Ms Marsh to local groups.",
                            "service",
                            "Home-Start Northmoor (volunteer Margaret)",
                            "weekly for 6 months",
                            210,
                            None,
                            "weekly since [[210]]; 24 visits so far",
                            "Ms Marsh now goes to the Tuesday mother and baby group at Larch Close "
                            "Children's Centre on her own and has made two friends there. Home-Start "
                            "will carry on for a short time after closure and know how to contact us.",
                        ),
                        action(
                            "health",
                            "Noah's development to be checked by the neonatal outreach nurse "
                            "and the health visitor.",
                            "service",
                            "Health visiting team, Northmoor East",
                            "monthly for 6 months",
                            230,
                            45,
                            "monthly; all 6 checks attended",
                            "Noah is gaining weight well and meeting his milestones for his corrected age.",
                        ),
                        action(
                            "emotional_warmth",
                            "Ms Marsh to keep her appointments with the perinatal "
                            "mental health team and take her medication as prescribed.",
                            "parent",
                            "Kerry Marsh",
                            "fortnightly appointments",
                            228,
                            50,
                            "fortnightly; 11 of 12 appointments kept",
                            "Ms Marsh says she feels 'like herself again'. She was discharged by the "
                            "perinatal team on [[50]] with a plan for her GP to review her medication.",
                        ),
                        action(
                            "education",
                            "Ellie to start her nursery place again and to start school "
                            "in September; her mother to apply for a school place.",
                            "parent",
                            "Kerry Marsh",
                            "15 hours a week",
                            120,
                            None,
                            "15 hours a week since [[120]]",
                            "Ellie has a place at Larch Close Primary for September.",
                        ),
                        action(
                            "income",
                            "Help with travel costs to the neonatal unit and a double buggy.",
                            "worker",
                            "Priya Nandakumar",
                            "",
                            262,
                            255,
                            "one payment of £180 on [[258]]",
                            "Ms Marsh could get to Noah's hospital appointments by bus with both children.",
                            unplanned=True,
                            impact="Agreed at the first visit before the plan was written, because Ms "
                            "Marsh was missing Noah's appointments. It meant she did not miss another.",
                        ),
                    ],
                }
            ],
            "contacts": [
                contact(
                    266,
                    "10:30",
                    "home_visit",
                    "First visit after the health visitor's referral. "
                    "Saw Ellie, Noah and Ms Marsh at home. Ellie showed me her drawings and was warm "
                    "and chatty. Ms Marsh was tearful and exhausted; we talked about the help she "
                    "would like. Agreed to ask for childminding and to help with travel costs.",
                    seen=True,
                    people=("mother", "brother"),
                ),
                contact(
                    262,
                    "14:00",
                    "telephone",
                    "Called Ms Marsh to say the travel payment was "
                    "agreed. She will collect the buggy from the Children's Centre on Friday.",
                    people=(),
                    work="indirect",
                ),
                contact(
                    240,
                    "11:00",
                    "home_visit",
                    "Went through the assessment with Ms Marsh. She "
                    "agreed with it and with the plan. Ellie was at the childminder's for her "
                    "first settling-in morning.",
                    people=("mother", "brother"),
                ),
                contact(
                    200,
                    "09:30",
                    "home_visit",
                    "Ellie chatted about her childminder and the "
                    "Okafors' dog. She said she likes 'having two houses to play at'. Ms Marsh "
                    "seemed brighter and had been to the baby group with the Home-Start volunteer.",
                    seen=True,
                    people=("mother", "brother"),
                ),
                contact(
                    160,
                    "15:30",
                    "office_visit",
                    "Met Mr Price at the Northmoor East office. He "
                    "sees Ellie every other Saturday and is glad of the support to Ms Marsh. He "
                    "offered to take Ellie to nursery on Mondays.",
                    people=("father",),
                ),
                contact(
                    120,
                    "10:00",
                    "home_visit",
                    "Child in need review at home with Ms Marsh, the "
                    "health visitor and the childminder. Saw Ellie alone in the garden for ten "
                    "minutes: she said she was happy and that 'Mummy laughs now'.",
                    seen=True,
                    alone=True,
                    people=("mother", "brother"),
                ),
                contact(
                    60,
                    "13:30",
                    "home_visit",
                    "Visit to Ellie and her mother. Ms Marsh asked "
                    "whether short breaks could end, as she now manages the weekends herself.",
                    seen=True,
                    people=("mother", "brother"),
                ),
                contact(
                    30,
                    "10:00",
                    "home_visit",
                    "Child in need review. All agreed that the plan's "
                    "aims are met and that social care can close once Ellie starts school. Ms "
                    "Marsh agreed and knows she can contact us again if she needs to.",
                    seen=True,
                    people=("mother", "brother", "father"),
                ),
                contact(
                    9,
                    "11:15",
                    "home_visit",
                    "Talked with Ellie, in words she could understand, "
                    "about me not visiting any more. She gave me a picture of her new school "
                    "jumper. Ms Marsh said she was ready and thanked the Home-Start volunteer.",
                    seen=True,
                    people=("mother", "brother"),
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# b) Domestic abuse: the mother's ex-partner is in custody; the mother's new address is sensitive.
JAYDEN = {
    "child": {
        "la_child_id": "NM100002",
        "first_name": "Jayden",
        "last_name": "Cole",
        "dob": {"years": 8, "months": 5, "days": 3},
        "sex": "M",
        "ethnicity": "MWBC",
        "upn": "001150112345",
        "disabilities": ["NONE"],
    },
    "episodes": [
        {
            "team": WEST,
            "worker": "worker.west",
            "referral": 200,
            "source": "6",
            "need": "N1",
            "people": {
                "mother": {
                    "first_name": "Leanne",
                    "last_name": "Cole",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "address": "Flat 6, Heron Court, Northmoor NM2 7LX",
                    "phone": "07700 900631",
                    "contact_details_sensitive": True,
                    "sensitivity_reason": "Ms Cole and Jayden moved to be safe from Mr Doyle. "
                    "Never share this address or phone number with him or his family.",
                },
                "exp": {
                    "first_name": "Ryan",
                    "last_name": "Doyle",
                    "relationship": "partner_of_parent",
                    "address": "HMP Northmoor (in custody; release expected [[+160]])",
                },
                "father": {
                    "first_name": "Marcus",
                    "last_name": "Bell",
                    "relationship": "father",
                    "pr": True,
                    "address": "27 Quarry Lane, Northmoor NM7 1HD",
                    "phone": "07700 900742",
                },
            },
            # Places that could show where Jayden or his mother are: withheld from Mr Doyle's copy.
            "places": [
                {"kind": "school", "name": "St Aidan's Primary", "address": "Church Walk, Northmoor NM2 4PQ"},
                {"kind": "gp", "name": "Moorside Surgery", "address": "2 Moorside Road, Northmoor NM2 5RT"},
                {
                    "kind": "handover",
                    "name": "Mrs Bell's home",
                    "also_known_as": "paternal grandmother's home\nhis mother's house",
                    "address": "12 Foundry Row, Northmoor NM7 3EW",
                },
                {"kind": "other", "name": "maternal grandmother's home"},
            ],
            "section47s": [{"start": 199, "target": None, "icpc": None, "not_required": True}],
            "assessments": [
                {
                    "kind": "single",
                    "start": 198,
                    "authorised": 172,
                    "factors": ["3A", "3B", "17A"],
                    "summary": (
                        "Police were called to the family home on [[201]] when Mr Doyle, Ms Cole's partner "
                        "of two years, assaulted her. Jayden, then aged 7, was in the next room and phoned "
                        "his grandmother. He told me he had heard shouting 'lots of times' and was scared to "
                        "go to sleep. Ms Cole said the abuse had been getting worse for a year and that she "
                        "was afraid Mr Doyle would find them. A strategy discussion agreed an enquiry under "
                        "section 47; it concluded that Jayden is a child in need rather than at continuing "
                        "risk of significant harm, because Mr Doyle was remanded in custody and Ms Cole "
                        "acted at once to protect Jayden. Outcome: child in need plan focused on safety, "
                        "Jayden's emotional wellbeing and a move to a safe home."
                    ),
                }
            ],
            "plans": [
                {
                    "kind": "cin",
                    "start": 168,
                    "end": None,
                    "actions": [
                        action(
                            "ensuring_safety",
                            "Independent domestic violence adviser (IDVA) support "
                            "for Ms Cole: safety planning, the non-molestation order and court.",
                            "service",
                            "Northmoor Domestic Abuse Service (IDVA Kate Simmons)",
                            "weekly for 12 weeks",
                            195,
                            100,
                            "10 of 12 weekly sessions; 2 missed when Jayden was unwell",
                            "Ms Cole has a written safety plan and a non-molestation order, granted on "
                            "[[150]], which lasts until [[+215]]. She knows how to call the police on a "
                            "silent 999 call.",
                        ),
                        action(
                            "ensuring_safety",
                            "Ms Cole to complete the Freedom Programme.",
                            "parent",
                            "Leanne Cole",
                            "12 weekly sessions",
                            160,
                            75,
                            "all 12 sessions",
                            "Ms Cole says she now recognises the controlling behaviour that came before "
                            "the violence and the effect it had on Jayden.",
                        ),
                        action(
                            "ensuring_safety",
                            "Direct work with Jayden on his own safety plan: who "
                            "his safe adults are, what to do and whom to call.",
                            "worker",
                            "Daniel Whitcombe",
                            "4 sessions",
                            165,
                            120,
                            "4 sessions at school",
                            "Jayden can say who his safe adults are and has a card with their numbers "
                            "in his school bag.",
                        ),
                        action(
                            "emotional_behavioural",
                            "Play therapy for Jayden in school.",
                            "service",
                            "St Aidan's Primary (play therapist)",
                            "10 weekly sessions",
                            150,
                            80,
                            "9 of 10 sessions",
                            "Jayden sleeps through most nights. His teacher says he is calmer and has "
                            "not had an angry outburst in class since half term.",
                        ),
                        action(
                            "education",
                            "School to know the safety arrangements, who may collect "
                            "Jayden, and to tell us of any concern.",
                            "service",
                            "St Aidan's Primary (designated safeguarding lead)",
                            "throughout",
                            168,
                            None,
                            "throughout",
                            "Attendance 97% this term. No concerns reported.",
                        ),
                        action(
                            "housing",
                            "A management move for Ms Cole and Jayden away from the area Mr Doyle knows.",
                            "service",
                            "Northmoor Homes",
                            "as soon as possible",
                            190,
                            125,
                            "moved on [[125]]",
                            "Safe, settled tenancy. Jayden kept his school place; the school knows not "
                            "to share the address.",
                        ),
                        action(
                            "family_social_relationships",
                            "Jayden to keep seeing his father monthly, "
                            "with handovers at his paternal grandmother's home.",
                            "parent",
                            "Marcus Bell and Leanne Cole",
                            "monthly",
                            160,
                            None,
                            "monthly, with one extra visit at Easter",
                            "Jayden enjoys seeing his dad. Mr Bell understands the safety plan and "
                            "will not share the new address.",
                        ),
                        action(
                            "family_history",
                            "Keep in touch with Probation about Mr Doyle's release "
                            "date, his licence conditions and the victim contact scheme.",
                            "worker",
                            "Daniel Whitcombe",
                            "monthly",
                            160,
                            None,
                            "monthly calls with Probation",
                            "Probation confirm release is expected on [[+160]], with licence "
                            "conditions of no contact with Ms Cole or Jayden and an exclusion zone "
                            "covering NM2. Ms Cole is signed up to the victim contact scheme.",
                        ),
                        action(
                            "income",
                            "Hardship grant for school uniform and bedding after the move.",
                            "worker",
                            "Daniel Whitcombe",
                            "",
                            124,
                            120,
                            "one grant of £260 on [[122]]",
                            "",
                            unplanned=True,
                            impact="The flat came unfurnished. The grant meant Jayden had his own bed "
                            "from the first night and went to school in uniform the next day.",
                        ),
                    ],
                }
            ],
            "domestic_abuse": [
                {
                    "perpetrator": "exp",
                    "victim": "mother",
                    "custody": "in_custody",
                    "release": -160,
                    "work": (
                        "Mr Doyle pleaded guilty to assault occasioning actual bodily harm and was sentenced "
                        "on [[150]] to 20 months. He is at HMP Northmoor. His offender manager says he has "
                        "started the Building Better Relationships programme in custody. I wrote to him on "
                        "[[140]] to explain that Jayden is supported by children's services; he has not "
                        "replied. He is not Jayden's father and has no parental responsibility."
                    ),
                }
            ],
            "contacts": [
                contact(
                    199,
                    "16:00",
                    "video",
                    "Strategy discussion with police, health and school. "
                    "Agreed a section 47 enquiry and a visit today.",
                    work="indirect",
                ),
                contact(
                    199,
                    "18:30",
                    "home_visit",
                    "Visited with a police officer at the maternal "
                    "grandmother's home, where Ms Cole and Jayden are staying. Saw Jayden with his "
                    "mother, then saw Ms Cole on her own. She was frightened but clear that the "
                    "relationship is over.",
                    seen=True,
                    people=("mother",),
                ),
                contact(
                    196,
                    "10:00",
                    "school_visit",
                    "Saw Jayden alone at school in the quiet room. "
                    "He drew his 'safe house'. He said he misses his bedroom but not Ryan.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    190,
                    "14:00",
                    "office_visit",
                    "Saw Ms Cole on her own at the office, with her "
                    "IDVA. Talked through the safety plan and the move.",
                    people=("mother",),
                ),
                contact(
                    140,
                    "09:00",
                    "letter",
                    "Wrote to Mr Doyle at HMP Northmoor to explain "
                    "children's services' involvement and that Jayden's address will not be "
                    "shared.",
                    people=(),
                    work="indirect",
                ),
                contact(
                    135,
                    "11:30",
                    "telephone",
                    "Call with Mr Doyle's offender manager at Northmoor "
                    "Probation about the sentence and the programme he is doing.",
                    work="indirect",
                ),
                contact(
                    120,
                    "15:45",
                    "home_visit",
                    "First visit to the new flat. Jayden showed me his "
                    "room and his new bed. Ms Cole says she feels safe here for the first time in a "
                    "year.",
                    seen=True,
                    people=("mother",),
                ),
                contact(
                    110,
                    "17:00",
                    "home_visit",
                    "Visited Mr Bell at home. He was shocked to learn "
                    "of the abuse and agreed to handovers at his mother's house.",
                    people=("father",),
                ),
                contact(
                    90,
                    "10:15",
                    "school_visit",
                    "Saw Jayden alone at school. He talked about play "
                    "therapy ('we do sand trays') and said he has not had bad dreams 'for ages'.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    60,
                    "13:00",
                    "office_visit",
                    "Saw Ms Cole alone. She has finished the Freedom "
                    "Programme and is thinking about returning to work.",
                    people=("mother",),
                ),
                contact(
                    35,
                    "12:00",
                    "telephone",
                    "Monthly call with Probation: release still expected "
                    "on [[+160]]; licence conditions drafted.",
                    work="indirect",
                ),
                contact(
                    20,
                    "16:00",
                    "home_visit",
                    "Child in need review at home. Everyone agreed the "
                    "plan has worked and that the case can close, with clear steps for when Mr "
                    "Doyle is released. Saw Jayden alone afterwards: he said 'it's better now'.",
                    seen=True,
                    alone=True,
                    people=("mother",),
                ),
                contact(
                    6,
                    "10:30",
                    "office_visit",
                    "Saw Ms Cole on her own to talk about closing and "
                    "what will happen if Mr Doyle is released or tries to contact her.",
                    people=("mother",),
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# c) A care leaver two months from his 19th birthday: letters, calls and texts count as contacts.
KYLE = {
    "child": {
        "la_child_id": "NM100003",
        "first_name": "Kyle",
        "last_name": "Brennan",
        "dob": {"years": 18, "months": 10, "days": 0},
        "sex": "M",
        "ethnicity": "WBRI",
        "upn": "001080204481",
        "disabilities": ["NONE"],
        "care_leaver_status": "former_relevant",
    },
    "looked_after": [
        {"from_birthday": (14, 60), "to_birthday": 18, "legal_status": "Accommodated under section 20 (V2)"}
    ],
    "episodes": [
        {
            "team": LEAVING,
            "worker": "worker.leaving",
            "referral_birthday": (14, 40),
            "source": "5A",
            "need": "N5",
            "people": {
                "mother": {
                    "first_name": "Donna",
                    "last_name": "Brennan",
                    "relationship": "mother",
                    "pr": True,
                    "address": "41 Sexton Street, Northmoor NM1 4RA",
                },
                "sister": {
                    "first_name": "Chloe",
                    "last_name": "Brennan",
                    "relationship": "sibling",
                    "address": "7 Weavers Row, Northmoor NM5 3JS",
                    "phone": "07700 900518",
                },
                "landlady": {
                    "first_name": "Sue",
                    "last_name": "Halloran",
                    "relationship": "other_adult",
                    "address": "2 Orchard Rise, Northmoor NM6 9PL (supported lodgings)",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start_birthday": (14, 42),
                    "authorised_birthday": (14, 80),
                    "factors": ["2B", "17A"],
                    "summary": (
                        "Kyle asked to come into care at 14 after his mother's drug use meant there was "
                        "often no food in the house and frequent arguments. Kyle was accommodated with his "
                        "mother's agreement. Outcome: looked after; pathway planning from 16."
                    ),
                }
            ],
            "plans": [
                {
                    "kind": "pathway",
                    "start_birthday": (16, 0),
                    "end": None,
                    "actions": [
                        action(
                            "education",
                            "Kyle to complete his Level 2 Motor Vehicle course at "
                            "Northmoor College; bursary for travel and kit.",
                            "child",
                            "Kyle Brennan",
                            "full-time, one academic year",
                            280,
                            30,
                            "attended 91%; bursary paid each term",
                            "Kyle passed and has an offer of an apprenticeship at a garage on the "
                            "Moorside industrial estate.",
                        ),
                        action(
                            "housing",
                            "Move from supported lodgings to his own tenancy, with a "
                            "setting-up-home allowance.",
                            "worker",
                            "Funmi Adeyemo (personal adviser)",
                            "by his 19th birthday",
                            200,
                            45,
                            "moved on [[45]]; allowance £2,000",
                            "Kyle has his own one-bedroom flat at 3 Station Road, Northmoor. He chose "
                            "his own furniture with the allowance.",
                        ),
                        action(
                            "income",
                            "Help to claim Universal Credit and make a budget.",
                            "worker",
                            "Funmi Adeyemo (personal adviser)",
                            "2 sessions",
                            60,
                            40,
                            "3 sessions",
                            "Claim in payment; rent paid direct to the landlord; Kyle keeps a budget "
                            "on his phone.",
                        ),
                        action(
                            "health",
                            "Register with a GP and a dentist near his new flat.",
                            "child",
                            "Kyle Brennan",
                            "within a month of moving",
                            45,
                            20,
                            "both done",
                            "Registered with Station Road Surgery and a dentist on the high street.",
                        ),
                        action(
                            "self_care",
                            "Cooking and budgeting sessions with his supported lodgings provider.",
                            "service",
                            "Sue Halloran (supported lodgings)",
                            "weekly for 3 months",
                            200,
                            50,
                            "weekly; 12 sessions",
                            "Kyle cooks most evenings and does his own shopping.",
                        ),
                        action(
                            "family_social_relationships",
                            "Kyle to keep in touch with his sister Chloe; we pay his bus fares to visit her.",
                            "child",
                            "Kyle Brennan",
                            "as he wishes",
                            300,
                            None,
                            "visits most weekends",
                            "Kyle and Chloe are close; she is his emergency contact.",
                        ),
                    ],
                }
            ],
            "contacts": [
                contact(
                    290,
                    "16:10",
                    "text",
                    "Text to Kyle reminding him of his college interview "
                    "tomorrow at 10am. He replied 'thanks, ready for it'.",
                    work="indirect",
                ),
                contact(
                    270,
                    "11:00",
                    "home_visit",
                    "Visit at his supported lodgings. Kyle showed me "
                    "his college timetable. Sue says he is tidy and helpful.",
                    seen=True,
                    alone=True,
                    people=("landlady",),
                ),
                contact(
                    240,
                    "09:00",
                    "letter",
                    "Letter to Kyle confirming his college bursary and the dates it will be paid.",
                    work="indirect",
                ),
                contact(
                    200,
                    "17:30",
                    "telephone",
                    "Call from Kyle: he wants to start looking for his "
                    "own flat. Agreed to apply to Northmoor Homes together.",
                    work="direct",
                ),
                contact(
                    160,
                    "14:00",
                    "office_visit",
                    "Pathway plan review at the office with Kyle. "
                    "He chose the areas he would like to live in.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    120, "12:30", "text", "Kyle texted a photo of his exam results: a merit.", work="direct"
                ),
                contact(
                    75,
                    "09:00",
                    "letter",
                    "Letter to Kyle confirming the setting-up-home allowance of £2,000 and how to spend it.",
                    work="indirect",
                ),
                contact(
                    44,
                    "13:00",
                    "home_visit",
                    "Helped Kyle move into 3 Station Road. Chloe came too. Kyle said 'it feels like mine'.",
                    seen=True,
                    people=("sister",),
                ),
                contact(
                    30,
                    "18:00",
                    "telephone",
                    "Call with Kyle about his Universal Credit claim; first payment arrived.",
                    work="direct",
                ),
                contact(
                    15,
                    "10:00",
                    "home_visit",
                    "Visit to Kyle's flat. Talked about his 19th "
                    "birthday, what support continues until he is 21 (25 if he asks) and how to "
                    "reach me.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    4,
                    "15:20",
                    "text",
                    "Text to Kyle with the date of his next pathway plan "
                    "review. He replied with a thumbs up.",
                    work="indirect",
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# d) A looked-after child: the plan is recorded for the birth family and the corporate parent.
MAISIE = {
    "child": {
        "la_child_id": "NM100004",
        "first_name": "Maisie",
        "last_name": "Thornton",
        "dob": {"years": 10, "months": 7, "days": 20},
        "sex": "F",
        "ethnicity": "WBRI",
        "upn": "001160355102",
        "disabilities": ["NONE"],
    },
    "looked_after": [
        {"start": 300, "end": None, "legal_status": "Care order (section 31), interim order made [[300]]"}
    ],
    "episodes": [
        {
            "team": WEST,
            "worker": "worker.west",
            "referral": 330,
            "source": "2A",
            "need": "N1",
            "people": {
                "mother": {
                    "first_name": "Stacey",
                    "last_name": "Thornton",
                    "relationship": "mother",
                    "pr": True,
                    "address": "18 Cinder Lane, Northmoor NM8 2DW",
                    "phone": "07700 900809",
                },
                "foster_mum": {
                    "first_name": "Jean",
                    "last_name": "Pryce",
                    "relationship": "foster_carer",
                    "lives": True,
                    "address": "5 Beech Grove, Northmoor NM6 1AF",
                    "phone": "07700 900356",
                },
                "foster_dad": {
                    "first_name": "Malcolm",
                    "last_name": "Pryce",
                    "relationship": "foster_carer",
                    "lives": True,
                    "address": "5 Beech Grove, Northmoor NM6 1AF",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start": 328,
                    "authorised": 302,
                    "factors": ["2B", "16A"],
                    "summary": (
                        "School referred Maisie after she came in hungry and in the same clothes for a week "
                        "and said her mother 'sleeps all day'. Ms Thornton was using heroin again after four "
                        "years abstinent. The home had no working cooker and no food. Maisie has been "
                        "looking after herself. Ms Thornton agreed that Maisie should be cared for "
                        "elsewhere while she gets treatment; the court made an interim care order on [[300]] "
                        "and a care order on [[60]]. Outcome: looked after with foster carers; plan for "
                        "Maisie to return home if her mother's recovery holds."
                    ),
                }
            ],
            "plans": [
                {
                    "kind": "care",
                    "start": 298,
                    "end": None,
                    "actions": [
                        action(
                            "basic_care",
                            "Ms Thornton to engage with Northmoor Recovery Service: "
                            "weekly key work and testing.",
                            "parent",
                            "Stacey Thornton",
                            "weekly",
                            295,
                            None,
                            "weekly; 3 missed weeks in the first two months",
                            "Clear tests for the last 5 months. Ms Thornton is on a reducing prescription.",
                            parent=Parent.BIRTH_FAMILY,
                        ),
                        action(
                            "emotional_warmth",
                            "Family time for Maisie and her mother, supervised at "
                            "the Northmoor Family Centre.",
                            "service",
                            "Northmoor Family Centre",
                            "twice a week, then weekly",
                            295,
                            None,
                            "twice a week for 3 months, weekly since",
                            "Warm, relaxed sessions. Maisie asks for longer visits.",
                            parent=Parent.BIRTH_FAMILY,
                        ),
                        action(
                            "family_history",
                            "Parenting assessment of Ms Thornton by an independent social worker.",
                            "service",
                            "Independent social worker",
                            "report within 12 weeks",
                            250,
                            160,
                            "report filed on [[160]]",
                            "Positive, with conditions: continued abstinence and a support network.",
                            parent=Parent.BIRTH_FAMILY,
                        ),
                        action(
                            "housing",
                            "Ms Thornton to keep her tenancy and repay rent arrears.",
                            "parent",
                            "Stacey Thornton",
                            "£10 a week",
                            280,
                            None,
                            "on track since [[200]]",
                            "Arrears down from £640 to £210.",
                            parent=Parent.BIRTH_FAMILY,
                        ),
                        action(
                            "basic_care",
                            "Foster carers to arrange Maisie's health assessment, dentist and optician.",
                            "service",
                            "Jean and Malcolm Pryce (foster carers)",
                            "within 28 days",
                            298,
                            270,
                            "all done within 28 days",
                            "Two fillings done; Maisie now has glasses for reading.",
                            parent=Parent.CORPORATE_PARENT,
                        ),
                        action(
                            "stability",
                            "Keep Maisie in the same placement and at the same school; "
                            "fortnightly supervising social worker visits to the carers.",
                            "service",
                            "Fostering team (supervising social worker)",
                            "fortnightly",
                            298,
                            None,
                            "fortnightly",
                            "No moves since coming into care. Maisie calls the "
                            "placement 'Jean and Malcolm's' and feels settled.",
                            parent=Parent.CORPORATE_PARENT,
                        ),
                        action(
                            "ensuring_safety",
                            "Safer-caring plan and online safety rules agreed with Maisie.",
                            "service",
                            "Jean and Malcolm Pryce (foster carers)",
                            "once",
                            290,
                            285,
                            "agreed on [[286]]",
                            "Maisie helped write the house rules.",
                            parent=Parent.CORPORATE_PARENT,
                        ),
                        action(
                            "community_resources",
                            "Maisie to join the swimming club near her foster home, paid by the council.",
                            "service",
                            "Northmoor Leisure Centre",
                            "weekly",
                            240,
                            None,
                            "weekly",
                            "Maisie has her 400 metres badge.",
                            parent=Parent.CORPORATE_PARENT,
                        ),
                        action(
                            "education",
                            "Personal education plan each term; virtual school to fund tutoring in maths.",
                            "service",
                            "Northmoor Virtual School",
                            "termly PEP; weekly tutoring",
                            280,
                            None,
                            "3 PEPs; 30 tutoring sessions",
                            "Maisie is now working at the expected level in maths.",
                        ),
                    ],
                }
            ],
            "contacts": [
                contact(
                    329,
                    "12:00",
                    "school_visit",
                    "Saw Maisie alone at school after the referral. "
                    "She said there was no food at home and that she gets herself to school.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    329,
                    "15:30",
                    "home_visit",
                    "Home visit to Ms Thornton, who was drowsy and "
                    "said she had relapsed. She agreed Maisie should stay with foster carers "
                    "tonight.",
                    people=("mother",),
                ),
                contact(
                    290,
                    "17:00",
                    "home_visit",
                    "Statutory visit at the foster home. Saw Maisie "
                    "alone in her room; she has chosen her own duvet cover.",
                    seen=True,
                    alone=True,
                    people=("foster_mum",),
                ),
                contact(
                    250,
                    "10:00",
                    "office_visit",
                    "Observed family time at the Family Centre. Maisie and her mum baked together.",
                    seen=True,
                    people=("mother",),
                ),
                contact(
                    200,
                    "16:30",
                    "home_visit",
                    "Statutory visit. Saw Maisie alone; she wants to see her mum more and to keep swimming.",
                    seen=True,
                    alone=True,
                    people=("foster_mum", "foster_dad"),
                ),
                contact(
                    150,
                    "11:00",
                    "office_visit",
                    "Looked-after review. Maisie chaired part of it herself.",
                    seen=True,
                    people=("mother", "foster_mum"),
                ),
                contact(
                    100,
                    "16:00",
                    "home_visit",
                    "Statutory visit. Saw Maisie alone.",
                    seen=True,
                    alone=True,
                    people=("foster_dad",),
                ),
                contact(
                    40,
                    "16:30",
                    "home_visit",
                    "Statutory visit. Maisie showed me her swimming badge.",
                    seen=True,
                    alone=True,
                    people=("foster_mum",),
                ),
                contact(
                    12,
                    "14:00",
                    "home_visit",
                    "Visited Ms Thornton at home to talk about overnight stays for Maisie.",
                    people=("mother",),
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# e) A mother whose first language is Polish and who needs an interpreter.
ZOFIA = {
    "child": {
        "la_child_id": "NM100005",
        "first_name": "Zofia",
        "last_name": "Kowalczyk",
        "dob": {"years": 7, "months": 2, "days": 15},
        "sex": "F",
        "ethnicity": "WOTH",
        "upn": "001190412207",
        "disabilities": ["NONE"],
    },
    "episodes": [
        {
            "team": EAST,
            "worker": "worker.east",
            "referral": 150,
            "source": "2A",
            "need": "N3",
            "people": {
                "mother": {
                    "first_name": "Agnieszka",
                    "last_name": "Kowalczyk",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "first_language": "Polish",
                    "reads_english": False,
                    "interpreter_needed": True,
                    "address": "62 Foundry Road, Northmoor NM4 6HG",
                    "phone": "07700 900921",
                },
                "father": {
                    "first_name": "Tomasz",
                    "last_name": "Kowalczyk",
                    "relationship": "father",
                    "pr": True,
                    "lives": True,
                    "first_language": "Polish",
                    "reads_english": True,
                    "address": "62 Foundry Road, Northmoor NM4 6HG",
                    "phone": "07700 900922",
                },
                "brother": {
                    "first_name": "Kacper",
                    "last_name": "Kowalczyk",
                    "relationship": "sibling",
                    "lives": True,
                    "address": "62 Foundry Road, Northmoor NM4 6HG",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start": 148,
                    "authorised": 120,
                    "factors": ["6B", "7A"],
                    "summary": (
                        "School referred Zofia because she was often late and tired and said she 'helps "
                        "Mama'. Mrs Kowalczyk has multiple sclerosis and had a bad relapse this year; she "
                        "cannot manage stairs or lift Kacper, aged 3. Mr Kowalczyk works night shifts. "
                        "Zofia was getting Kacper dressed and giving him breakfast before school. The "
                        "assessment was done with a Polish interpreter. Outcome: child in need plan; "
                        "Zofia is a young carer."
                    ),
                }
            ],
            "plans": [
                {
                    "kind": "cin",
                    "start": 118,
                    "end": None,
                    "actions": [
                        action(
                            "basic_care",
                            "Adult social care needs assessment for Mrs Kowalczyk and "
                            "a morning care package.",
                            "service",
                            "Northmoor Adult Social Care",
                            "assessment within 4 weeks; daily morning calls",
                            115,
                            None,
                            "assessed on [[95]]; daily calls since [[80]]",
                            "A carer helps Mrs Kowalczyk each morning, so Zofia no longer does.",
                        ),
                        action(
                            "emotional_behavioural",
                            "Zofia to join the Young Carers group.",
                            "service",
                            "Northmoor Young Carers",
                            "fortnightly",
                            110,
                            None,
                            "fortnightly",
                            "Zofia enjoys the group and has a friend there.",
                        ),
                        action(
                            "stimulation",
                            "A funded nursery place for Kacper, 15 hours a week.",
                            "service",
                            "Foundry Road Nursery",
                            "15 hours a week",
                            100,
                            None,
                            "15 hours a week",
                            "Kacper has settled and his English is coming on.",
                        ),
                        action(
                            "housing",
                            "Occupational therapy assessment; stair rail and bath seat.",
                            "service",
                            "Northmoor OT service",
                            "once",
                            110,
                            70,
                            "fitted on [[70]]",
                            "Mrs Kowalczyk can use the stairs safely.",
                        ),
                        action(
                            "education",
                            "Breakfast club at school so Zofia is there on time.",
                            "service",
                            "Foundry Road Primary",
                            "daily",
                            110,
                            None,
                            "daily",
                            "Zofia has not been late since she started.",
                        ),
                        action(
                            "family_social_relationships",
                            "Mr Kowalczyk to ask his employer for day shifts two days a week.",
                            "parent",
                            "Tomasz Kowalczyk",
                            "",
                            110,
                            60,
                            "agreed from [[60]]",
                            "He takes Zofia to school twice a week.",
                        ),
                    ],
                }
            ],
            "contacts": [
                contact(
                    147,
                    "10:00",
                    "home_visit",
                    "Home visit with a Polish interpreter (Northmoor "
                    "Interpreting Service). Saw Zofia with her mother and brother. Mrs "
                    "Kowalczyk was upset that Zofia had been helping so much.",
                    seen=True,
                    people=("mother", "brother"),
                ),
                contact(
                    140,
                    "11:00",
                    "school_visit",
                    "Saw Zofia alone at school. She said she likes helping but is tired and misses playing.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    125,
                    "18:30",
                    "home_visit",
                    "Evening visit to see Mr and Mrs Kowalczyk "
                    "together, with a Polish interpreter. Went through the assessment.",
                    people=("mother", "father"),
                ),
                contact(
                    90,
                    "09:30",
                    "telephone",
                    "Call with Mrs Kowalczyk through a telephone "
                    "interpreter, to confirm the care package start date.",
                    people=(),
                    work="direct",
                ),
                contact(
                    60,
                    "10:00",
                    "home_visit",
                    "Child in need review at home with an "
                    "interpreter. Zofia said 'I don't have to do the mornings now'.",
                    seen=True,
                    people=("mother", "father", "brother"),
                ),
                contact(
                    14,
                    "10:00",
                    "home_visit",
                    "Visit with an interpreter. Talked about how "
                    "things are and what is left to do before the case can close.",
                    seen=True,
                    people=("mother", "brother"),
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# f) Closed after assessment, no further action (RC8): an assessment and nothing after it.
OLLIE = {
    "child": {
        "la_child_id": "NM100006",
        "first_name": "Ollie",
        "last_name": "Fenwick",
        "dob": {"years": 13, "months": 1, "days": 2},
        "sex": "M",
        "ethnicity": "WBRI",
        "upn": "001130578830",
        "disabilities": ["HEAR", "COMM"],
    },
    "episodes": [
        {
            "team": EAST,
            "worker": "worker.east",
            "referral": 40,
            "source": "3C",
            "need": "N9",
            "people": {
                "mother": {
                    "first_name": "Claire",
                    "last_name": "Fenwick",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "address": "3 Tannery Walk, Northmoor NM3 5EQ",
                    "phone": "07700 900413",
                },
                "gran": {
                    "first_name": "Maureen",
                    "last_name": "Fenwick",
                    "relationship": "grandparent",
                    "address": "11 Tannery Walk, Northmoor NM3 5EQ",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start": 38,
                    "authorised": 12,
                    "factors": ["20"],
                    "summary": (
                        "Ollie told the school nurse that he had been at home on his own overnight twice "
                        "when his mother worked night shifts at the hospital. Ms Fenwick said a neighbour "
                        "had let her down. She has since arranged for Ollie's grandmother, who lives on the "
                        "same street, to stay whenever she works nights. Ollie is doing well at school, his "
                        "hearing aids are looked after, and he is close to his mother and grandmother. No "
                        "further action is needed; the family were given the early help leaflet."
                    ),
                }
            ],
            "contacts": [
                contact(
                    37,
                    "15:45",
                    "home_visit",
                    "Saw Ollie and his mother at home. Ms Fenwick was "
                    "open and worried. Agreed the night-shift arrangement with her.",
                    seen=True,
                    people=("mother",),
                ),
                contact(
                    30,
                    "11:00",
                    "school_visit",
                    "Saw Ollie alone at school. He said he feels safe and likes staying with Gran.",
                    seen=True,
                    alone=True,
                ),
                contact(
                    25,
                    "14:00",
                    "telephone",
                    "Spoke with Mrs Fenwick senior, who confirmed she stays over on night-shift nights.",
                    people=("gran",),
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# g) A child protection plan for neglect, after a section 47 enquiry and an initial conference.
GRACE = {
    "child": {
        "la_child_id": "NM100007",
        "first_name": "Grace",
        "last_name": "Ainsley",
        "dob": {"years": 3, "months": 2, "days": 8},
        "sex": "F",
        "ethnicity": "WBRI",
        "upn_unknown": "UN6",
        "disabilities": ["NONE"],
    },
    "episodes": [
        {
            "team": WEST,
            "worker": "worker.west",
            "referral": 120,
            "source": "3B",
            "need": "N1",
            "people": {
                "mother": {
                    "first_name": "Becky",
                    "last_name": "Ainsley",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "address": "22 Slag Lane, Northmoor NM9 3TU",
                    "phone": "07700 900977",
                },
                "father": {
                    "first_name": "Liam",
                    "last_name": "Ward",
                    "relationship": "father",
                    "pr": True,
                    "lives": True,
                    "address": "22 Slag Lane, Northmoor NM9 3TU",
                },
            },
            "section47s": [{"start": 110, "target": 89, "icpc": 92, "not_required": False}],
            "assessments": [
                {
                    "kind": "single",
                    "start": 112,
                    "authorised": 90,
                    "factors": ["16A", "1B"],
                    "summary": (
                        "The health visitor referred Grace after three missed appointments and weight loss. "
                        "At the first visit the home was cold, there was little food and Grace was in a wet "
                        "nappy. Both parents drink heavily most days. They love Grace and were ashamed. "
                        "Outcome: initial child protection conference; child protection plan for neglect."
                    ),
                }
            ],
            "plans": [
                {
                    "kind": "cp",
                    "start": 92,
                    "end": None,
                    "initial_category": "NEG",
                    "latest_category": "NEG",
                    "actions": [
                        action(
                            "health",
                            "Weekly weighing and health checks.",
                            "service",
                            "Health visitor",
                            "weekly",
                            90,
                            None,
                            "weekly; 12 of 13 attended",
                            "Grace has gained 1.1 kg and is back on her centile.",
                        ),
                        action(
                            "basic_care",
                            "Both parents to attend the alcohol service.",
                            "parent",
                            "Becky Ainsley and Liam Ward",
                            "weekly",
                            88,
                            None,
                            "Ms Ainsley weekly; Mr Ward 6 of 12",
                            "Ms Ainsley is drinking much less. Mr Ward has found it harder.",
                        ),
                        action(
                            "stimulation",
                            "A funded nursery place, 15 hours a week.",
                            "service",
                            "Slag Lane Nursery",
                            "15 hours a week",
                            80,
                            None,
                            "15 hours a week",
                            "Grace is saying new words every week.",
                        ),
                        action(
                            "housing",
                            "Clear the home, fix the heating and provide a cooker.",
                            "service",
                            "Northmoor Homes and the council's welfare fund",
                            "once",
                            90,
                            70,
                            "done by [[70]]",
                            "Warm, safe home with working cooker.",
                        ),
                        action(
                            "ensuring_safety",
                            "Unannounced visits by the social worker.",
                            "worker",
                            "Daniel Whitcombe",
                            "every 10 working days",
                            92,
                            None,
                            "every 10 working days",
                            "Grace seen at every visit.",
                        ),
                    ],
                }
            ],
            "contacts": [
                contact(
                    118,
                    "10:30",
                    "home_visit",
                    "First visit with the health visitor. Saw Grace with both parents.",
                    seen=True,
                    people=("mother", "father"),
                ),
                contact(
                    110,
                    "14:00",
                    "video",
                    "Strategy discussion. Agreed a section 47 enquiry.",
                    work="indirect",
                ),
                contact(
                    92,
                    "10:00",
                    "office_visit",
                    "Initial child protection conference. Grace "
                    "made subject to a child protection plan for neglect.",
                    people=("mother", "father"),
                ),
                contact(
                    75,
                    "09:15",
                    "home_visit",
                    "Unannounced visit. Heating working; food in the "
                    "cupboards. Grace was playing with her dolls.",
                    seen=True,
                    people=("mother",),
                ),
                contact(
                    50,
                    "16:00",
                    "home_visit",
                    "Unannounced visit. Grace asleep; saw her in her cot. Mr Ward had been drinking.",
                    seen=True,
                    people=("mother", "father"),
                ),
                contact(
                    25,
                    "11:00",
                    "home_visit",
                    "Core group at home. Good progress by Ms Ainsley; concern about Mr Ward.",
                    seen=True,
                    people=("mother", "father"),
                ),
                contact(
                    8,
                    "09:45",
                    "home_visit",
                    "Unannounced visit. Grace clean, warm and chatty.",
                    seen=True,
                    people=("mother",),
                ),
            ],
        }
    ],
}

# ---------------------------------------------------------------------------------------------
# h) History: a closed episode followed by a re-referral, and a case closed to early help.
HARVEY = {
    "child": {
        "la_child_id": "NM100008",
        "first_name": "Harvey",
        "last_name": "Lund",
        "dob": {"years": 15, "months": 4, "days": 17},
        "sex": "M",
        "ethnicity": "BCRB",
        "upn": "001110667014",
        "disabilities": ["BEH"],
    },
    "episodes": [
        {
            "team": EAST,
            "worker": "worker.east",
            "referral": 400,
            "source": "6",
            "need": "N6",
            "people": {
                "mother": {
                    "first_name": "Denise",
                    "last_name": "Lund",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "address": "17 Kiln Street, Northmoor NM2 4NB",
                    "phone": "07700 900170",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start": 398,
                    "authorised": 380,
                    "factors": ["10A", "14A"],
                    "summary": "Harvey was reported missing three times in a month and was found with "
                    "older boys in the town centre. Outcome: child in need plan.",
                }
            ],
            "plans": [
                {
                    "kind": "cin",
                    "start": 378,
                    "end": 262,
                    "actions": [
                        action(
                            "emotional_behavioural",
                            "Youth worker sessions with Harvey.",
                            "service",
                            "Northmoor Youth Service",
                            "weekly for 12 weeks",
                            375,
                            280,
                            "weekly; 11 of 12",
                            "No missing episodes since [[330]].",
                        ),
                        action(
                            "guidance_boundaries",
                            "Ms Lund and Harvey to agree home rules and curfew.",
                            "parent",
                            "Denise Lund",
                            "once, then reviewed",
                            370,
                            300,
                            "agreed and reviewed twice",
                            "Harvey keeps to his curfew.",
                        ),
                    ],
                }
            ],
            "contacts": [
                contact(
                    396,
                    "17:00",
                    "home_visit",
                    "Saw Harvey and his mother at home.",
                    seen=True,
                    people=("mother",),
                ),
                contact(330, "15:30", "school_visit", "Saw Harvey alone at school.", seen=True, alone=True),
                contact(
                    270,
                    "16:00",
                    "home_visit",
                    "Review: plan met. Harvey and Ms Lund agreed to closure.",
                    seen=True,
                    people=("mother",),
                ),
            ],
            "closure": {"days": 260, "reason": "RC7"},
        },
        {
            "team": EAST,
            "worker": "worker.east",
            "referral": 45,
            "source": "2A",
            "need": "N6",
            "assessments": [
                {"kind": "single", "start": 43, "authorised": 9, "factors": ["14A"], "summary": ""}
            ],
            "contacts": [
                contact(
                    42,
                    "16:00",
                    "home_visit",
                    "Re-referral after Harvey was excluded for fighting. Saw Harvey and his mother together.",
                    seen=True,
                    people=("mother",),
                ),
                contact(
                    28,
                    "12:00",
                    "school_visit",
                    "Saw Harvey alone at school. He says older boys are pressuring him.",
                    seen=True,
                    alone=True,
                ),
            ],
        },
    ],
}

LILY_MAE = {
    "child": {
        "la_child_id": "NM100009",
        "first_name": "Lily-Mae",
        "last_name": "Dawson",
        "dob": {"years": 2, "months": 6, "days": 1},
        "sex": "F",
        "ethnicity": "MWAS",
        "upn_unknown": "UN6",
        "disabilities": ["NONE"],
    },
    "episodes": [
        {
            "team": EAST,
            "worker": "worker.east",
            "referral": 190,
            "source": "3E",
            "need": "N9",
            "people": {
                "mother": {
                    "first_name": "Jess",
                    "last_name": "Dawson",
                    "relationship": "mother",
                    "pr": True,
                    "lives": True,
                    "address": "8 Brook Mews, Northmoor NM5 2WD",
                },
            },
            "assessments": [
                {
                    "kind": "single",
                    "start": 188,
                    "authorised": 160,
                    "factors": ["20"],
                    "summary": "Lily-Mae was treated at A&E for a small burn from hair straighteners. The "
                    "account was consistent and the injury accidental. Ms Dawson would like "
                    "help with home safety and a parenting group: referred to the Family Hub "
                    "(early help).",
                }
            ],
            "contacts": [
                contact(
                    187,
                    "10:00",
                    "home_visit",
                    "Saw Lily-Mae and her mother at home.",
                    seen=True,
                    people=("mother",),
                ),
            ],
            "closure": {"days": 150, "reason": "RC9"},
        }
    ],
}

CASES = [ELLIE, JAYDEN, KYLE, MAISIE, ZOFIA, OLLIE, GRACE, HARVEY, LILY_MAE]


# ---------------------------------------------------------------------------------------------
# Loading


def make_upn(digits: str) -> str:
    """A UPN from its 12 digits (LA code, year, serial), with the right check letter."""
    return upn_check_letter(digits) + digits


class _Dates:
    """Turns the data's day counts into dates and times, relative to one fixed 'today'."""

    def __init__(self, today: dt.date):
        self.today = today

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def weekday(self, days_ago: int) -> dt.date:
        """The date, moved back to the Friday before when it falls at a weekend: conferences are
        held on working days (CIN rule 8875)."""
        date = self.day(days_ago)
        return date - dt.timedelta(days=max(date.weekday() - 4, 0))

    def at(self, days_ago: int, time: str) -> dt.datetime:
        hour, minute = (int(x) for x in time.split(":"))
        naive = dt.datetime.combine(self.day(days_ago), dt.time(hour, minute))
        return timezone.make_aware(naive)

    def ago(self, years=0, months=0, days=0) -> dt.date:
        """The date so many years, months and days before today (end of month if shorter)."""
        total = self.today.year * 12 + self.today.month - 1 - years * 12 - months
        year, month = divmod(total, 12)
        day = min(self.today.day, calendar.monthrange(year, month + 1)[1])
        return dt.date(year, month + 1, day) - dt.timedelta(days=days)

    def text(self, text: str) -> str:
        """Replace [[120]] (days ago) and [[+90]] (days ahead) with written dates."""

        def written(match):
            offset = int(match.group(1))
            date = self.day(-offset) if match.group(1).startswith("+") else self.day(offset)
            return f"{date.day} {date:%B %Y}"

        return re.sub(r"\[\[([+-]?\d+)\]\]", written, text)


def _users() -> dict[str, User]:
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}
    users = {}
    for spec in USERS:
        user = User.objects.filter(username=spec["username"]).first() or User(username=spec["username"])
        user.first_name, user.last_name = spec["first_name"], spec["last_name"]
        user.email = f"{spec['username']}@northmoor.example"
        user.role = spec["role"]
        user.team = teams[spec["team"]] if "team" in spec else None
        user.organisation = spec.get("organisation", "")
        user.is_superuser = False  # the administrator's admin access comes from the role
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        user.managed_teams.set([teams[name] for name in spec.get("managed", ())])
        users[spec["username"]] = user
    return users


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _load_case(case: dict, users: dict[str, User], d: _Dates) -> Child:
    spec = case["child"]
    dob = d.ago(**spec["dob"])
    first = case["episodes"][0]
    child = child_create(
        actor=users[first["worker"]],
        la_child_id=spec["la_child_id"],
        first_name=spec["first_name"],
        last_name=spec["last_name"],
        date_of_birth=dob,
        sex=spec["sex"],
        ethnicity=spec["ethnicity"],
        disabilities=spec["disabilities"],
        upn=make_upn(spec["upn"]) if spec.get("upn") else "",
        upn_unknown=spec.get("upn_unknown", ""),
        care_leaver_status=spec.get("care_leaver_status", ""),
    )

    def when(item: dict, key: str):
        """A date given as days ago, or as (age in years, days after that birthday)."""
        if f"{key}_birthday" in item:
            years, extra = item[f"{key}_birthday"]
            return birthday(dob, years) + dt.timedelta(days=extra)
        return None if item.get(key) is None else d.day(item[key])

    for period in case.get("looked_after", []):
        end = period.get("end")
        if "to_birthday" in period:
            end_date = birthday(dob, period["to_birthday"]) - dt.timedelta(days=1)
        else:
            end_date = None if end is None else d.day(end)
        start = (
            birthday(dob, period["from_birthday"][0]) + dt.timedelta(days=period["from_birthday"][1])
            if "from_birthday" in period
            else d.day(period["start"])
        )
        _save(
            LookedAfterPeriod(
                child=child, start_date=start, end_date=end_date, legal_status=d.text(period["legal_status"])
            )
        )

    people = {}
    for ep in case["episodes"]:
        worker = users[ep["worker"]]
        episode = episode_open(
            actor=worker,
            child=child,
            referral_date=when(ep, "referral"),
            referral_source=ep["source"],
            primary_need=ep["need"],
            team=worker.team,
            worker=worker,
        )
        for handle, p in ep.get("people", {}).items():
            fields = {
                k: (d.text(v) if isinstance(v, str) else v)
                for k, v in p.items()
                if k not in ("relationship", "pr", "lives")
            }
            people[handle] = person_add(
                actor=worker,
                episode=episode,
                relationship=p["relationship"],
                has_parental_responsibility=p.get("pr", False),
                lives_with_child=p.get("lives", False),
                **fields,
            )
        for place in ep.get("places", []):
            _save(Place(child=child, **place))
        for a in ep.get("assessments", []):
            _save(
                Assessment(
                    episode=episode,
                    kind=a["kind"],
                    start_date=when(a, "start"),
                    authorisation_date=when(a, "authorised"),
                    factors=a["factors"],
                    summary=d.text(a["summary"]),
                )
            )
        for s in ep.get("section47s", []):
            _save(
                Section47(
                    episode=episode,
                    start_date=d.day(s["start"]),
                    icpc_target_date=None if s["target"] is None else d.day(s["target"]),
                    icpc_date=None if s["icpc"] is None else d.weekday(s["icpc"]),
                    icpc_not_required=s["not_required"],
                )
            )
        for pl in ep.get("plans", []):
            # A child protection plan starts at the conference, on a working day.
            start = d.weekday(pl["start"]) if pl["kind"] == "cp" else when(pl, "start")
            plan = _save(
                Plan(
                    episode=episode,
                    kind=pl["kind"],
                    start_date=start,
                    end_date=when(pl, "end"),
                    initial_category=pl.get("initial_category", ""),
                    latest_category=pl.get("latest_category", ""),
                )
            )
            for act in pl["actions"]:
                fields = {
                    k: (d.text(v) if isinstance(v, str) else v)
                    for k, v in act.items()
                    if k not in ("start", "end")
                }
                action_create(
                    actor=worker,
                    episode=episode,
                    plan=None if act["is_unplanned"] else plan,
                    start_date=d.day(act["start"]),
                    end_date=None if act["end"] is None else d.day(act["end"]),
                    **fields,
                )
        for abuse in ep.get("domestic_abuse", []):
            _save(
                DomesticAbuse(
                    episode=episode,
                    perpetrator=people[abuse["perpetrator"]],
                    victim=people[abuse["victim"]],
                    custody_status=abuse["custody"],
                    expected_release_date=d.day(abuse["release"]),
                    work_with_perpetrator=d.text(abuse["work"]),
                )
            )
        for c in ep.get("contacts", []):
            contact_create(
                actor=worker,
                episode=episode,
                occurred_at=d.at(c["days"], c["time"]),
                kind=c["kind"],
                child_seen=c["child_seen"],
                child_seen_alone=c["child_seen_alone"],
                work=c["work"],
                note=d.text(c["note"]),
                people_seen=[people[h] for h in c["people"]],
            )
        if "closure" in ep:
            # No Closure Record exists for this history; the episode is closed as it would have
            # been on the day its record was authorised.
            closed_on = d.day(ep["closure"]["days"])
            episode.status = EpisodeStatus.CLOSED
            episode.closure_date = closed_on
            episode.closed_at = d.at(ep["closure"]["days"], "16:00")
            episode.reason_for_closure = ep["closure"]["reason"]
            _save(episode)
    return child


@transaction.atomic
def load_demo(today: dt.date | None = None) -> dict:
    """Create (or refresh) the demo teams and users and add any demo case not yet loaded.

    Returns {"users": [...], "created": [LA child IDs], "skipped": [LA child IDs]}.
    """
    d = _Dates(today or dt.date.today())
    users = _users()
    created, skipped = [], []
    existing = set(
        Child.objects.filter(la_child_id__in=[c["child"]["la_child_id"] for c in CASES]).values_list(
            "la_child_id", flat=True
        )
    )
    for case in CASES:
        la_id = case["child"]["la_child_id"]
        if la_id in existing:
            skipped.append(la_id)
            continue
        _load_case(case, users, d)
        created.append(la_id)
    load_handover(users)
    return {"users": list(users.values()), "created": created, "skipped": skipped}


def load_handover(users: dict[str, User]) -> None:
    """Lily-Mae Dawson's case closed to early help (RC9): its authorised Closure Record, handed over
    to the demo lead practitioner and not yet answered (demo/handover.py)."""
    handover.load(users)


def logins_table(users) -> str:
    """The demo logins as a plain text table, for the command's output."""
    rows = [("username", "password", "role", "team")]
    for user in users:
        team = user.team.name if user.team else ", ".join(t.name for t in user.managed_teams.all()) or "-"
        rows.append((user.username, DEMO_PASSWORD, user.get_role_display(), team))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
