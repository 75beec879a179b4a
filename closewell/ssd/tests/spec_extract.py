# ruff: noqa: E501 (CSV rows as an extract holds them)
"""An SSD extract written by hand from the specification alone (reference/ssd/ssd-columns.csv and
objects/*.yml), not by generate_ssd_extract: every table's header as the specification lists it,
and rows in the forms real extracts use (SQL Server datetimes, UK dates, "13-Apr-2026", the code
list's "Multiple: …" and "CNHE", Y/N flags, outcome JSON), the person file in Windows-1252.

Sixteen invented children for the census year ending 31 March 2027:
- CH01–CH09, CH15, CH16: an episode closed in the year with each reason RC1–RC9 (CH02 died; CH07's
  section 47 ended in services with no conference; CH08 and CH09 closed after assessment);
- CH10: open; its section 47 ended in services with no conference; a CIN plan; a visit from
  before any episode (skipped with a warning); a family member with no name;
- CH11: open, on a child protection plan after an earlier plan in a 2023 episode; the conference has
  no enquiry id and the plan no referral id (placed by child and date);
- CH12: looked after; CH13: a care leaver of 19; CH14: unborn, with their mother.
"""

PERSON = """\
pers_person_id,pers_forename,pers_surname,pers_sex,pers_gender,pers_ethnicity,pers_dob,pers_common_child_id,pers_legacy_id,pers_upn_unknown,pers_send_flag,pers_expected_dob,pers_death_date,pers_is_mother,pers_nationality
CH01,Zoë,Marchetti,F,02,WBRI,15/05/2014,,,UN5,N,,,N,
CH02,Siân,Pryce,F,02,WOTH,15/09/2012,,,UN5,N,,10/08/2026,N,
CH03,Tomás,Ó Briain,M,01,WIRI,15/02/2016,,,UN5,N,,,N,
CH04,Amélie,Durand,F,02,MOTH,15/07/2019,,,UN5,N,,,N,
CH05,Kai,Mensah,M,01,BAFR,15/11/2013,,,UN5,N,,,N,
CH06,Noor,Rahman,F,02,ABAN,15/06/2008,,,UN5,N,,,N,
CH07,Ellis,Fairbairn,M,01,WBRI,15/03/2011,,,UN5,N,,,N,
CH08,Priya,Shah,F,02,AIND,15/10/2017,,,UN5,N,,,N,
CH09,Li Wei,Chen,M,01,CNHE,15/01/2015,,,UN5,N,,,N,
CH10,Jude,Okafor,M,01,BCRB,15/12/2010,,,UN5,N,,,N,
CH11,Mia,Kowalski,F,02,WOTH,15/04/2013,,,UN5,N,,,N,
CH12,Ruby,Hale,F,02,MWBC,15/08/2018,,,UN5,N,,,N,
CH13,Sam,Whitlock,M,01,WBRI,15/02/2007,,,UN5,N,,,N,
CH14,,Okoro,U,00,NOBT,,,,UN1,,20/04/2027,,N,
CH15,Elif,Demir,F,02,WOTH,15/06/2016,,,UN5,N,,,N,
CH16,Oscar,Lindqvist,M,01,WOTH,15/09/2014,,,UN5,N,,,N,
M14,Grace,Okoro,F,02,BAFR,,,,,,,,Y,
A10,,,,,,,,,,,,,,
"""

DEPARTMENT = """\
dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name
T10,Northmoor Assessment,,
T20,Northmoor Family Support,,
T30,Northmoor Child Protection,,
T40,Northmoor Leaving Care,,
"""

PROFESSIONALS = """\
prof_professional_id,prof_staff_id,prof_professional_name,prof_social_worker_registration_no,prof_professional_job_title,prof_professional_caseload,prof_professional_department,prof_full_time_equivalency,prof_agency_worker_flag
W1,sw.ash,Ash Penrose,SW000001,Social Worker,14,T20,1.0,N
W2,sw.bel,Bel Thorne,SW000002,Social Worker,12,T30,1.0,N
W3,sw.cam,Cam Ridley,SW000003,Personal Adviser,20,T40,0.8,N
"""

DISABILITY = """\
disa_person_id,disa_table_id,disa_disability_code
CH01,D1,MOB
CH02,D2,HAND
CH03,D3,PC
CH04,D4,COMM
CH04,D5,LD
CH05,D6,HEAR
CH06,D7,VIS
CH07,D8,BEH
"""

FAMILY = """\
fami_table_id,fami_family_id,fami_person_id
FM1,F10,CH10
FM2,F10,A10
"""

MOTHER = """\
moth_table_id,moth_person_id,moth_childs_person_id,moth_childs_dob
MO1,M14,CH14,
"""

CIN_EPISODES = """\
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_source_desc,cine_referral_outcome_json,cine_referral_nfa,cine_close_reason,cine_close_date,cine_referral_team,cine_referral_worker_id
R01,CH01,2026-04-13 00:00:00.000,N1,2A,Schools,"{""ASSESSMENT_FLAG"": ""Y""}",N,RC1,2026-09-28 00:00:00.000,T20,W1
R02,CH02,2026-04-20 00:00:00.000,N2,3A,Health services: GP,,N,RC2,2026-08-12 00:00:00.000,T20,W1
R03,CH03,2026-04-13 00:00:00.000,N3,1A,,,N,RC3,2026-10-05 00:00:00.000,T20,W1
R04,CH04,2026-04-13 00:00:00.000,N4,3B,,,N,RC4,2026-10-12 00:00:00.000,T20,W1
R05,CH05,2026-04-13 00:00:00.000,N5,6,Police,,N,RC5,2026-09-07 00:00:00.000,T20,W1
R06,CH06,2026-04-13 00:00:00.000,N6,5A,,,N,RC6,2026-09-14 00:00:00.000,T20,W1
R07,CH07,2026-05-04 00:00:00.000,N1,6,Police,,N,RC7,2026-11-02 00:00:00.000,T20,
R08,CH08,2026-06-01 00:00:00.000,N8,2A,,,N,RC8,2026-06-22 00:00:00.000,T10,
R09,CH09,2026-06-01 00:00:00.000,N9,1B,,,N,RC9,2026-06-22 00:00:00.000,T10,
R10,CH10,2026-05-04 00:00:00.000,N1,6,Police,,N,,,T20,W1
R11A,CH11,2023-01-09 00:00:00.000,N1,2A,,,N,RC7,2023-12-04 00:00:00.000,T30,W2
R11B,CH11,2026-06-01 00:00:00.000,N1,6,Police,,N,,,T30,W2
R12,CH12,2026-04-07 00:00:00.000,N1,5A,,,N,,,T20,W1
R13,CH13,2026-04-14 00:00:00.000,N5,5A,,,N,,,T40,W3
R14,CH14,2026-10-01 00:00:00.000,N1,3B,Health visitor,,N,,,T30,W2
R15,CH15,2026-04-13 00:00:00.000,N7,1A,,,N,RC7,2026-08-03 00:00:00.000,T20,W1
R16,CH16,2026-04-13 00:00:00.000,N6,1B,,,N,RC7,2026-08-03 00:00:00.000,T20,W1
"""

INVOLVEMENTS = """\
invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id,invo_referral_id
IV1,W1,Allocated Case Worker,T20,2026-05-04,,,CH07,
IV2,W2,Allocated Case Worker,T30,2026-06-01,,,CH11,R11B
"""

CIN_ASSESSMENTS = """\
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_json,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id
A01,CH01,R01,14-Apr-2026,Y,07-May-2026,,N,T20,W1
A02,CH02,R02,21-Apr-2026,Y,15-May-2026,,N,T20,W1
A03,CH03,R03,14-Apr-2026,Y,07-May-2026,,N,T20,W1
A04,CH04,R04,14-Apr-2026,Y,07-May-2026,,N,T20,W1
A05,CH05,R05,14-Apr-2026,Y,07-May-2026,,N,T20,W1
A06,CH06,R06,14-Apr-2026,Y,07-May-2026,,N,T20,W1
A07,CH07,R07,05-May-2026,Y,29-May-2026,,N,T20,W1
A08,CH08,R08,02-Jun-2026,Y,19-Jun-2026,,Y,T10,
A09,CH09,R09,02-Jun-2026,Y,19-Jun-2026,,Y,T10,
A10,CH10,R10,05-May-2026,Y,28-May-2026,,N,T20,W1
A11,CH11,R11B,02-Jun-2026,Y,26-Jun-2026,,N,T30,W2
A12,CH12,R12,08-Apr-2026,Y,30-Apr-2026,,N,T20,W1
A13,CH13,R13,15-Apr-2026,Y,08-May-2026,,N,T40,W3
A14,CH14,R14,02-Oct-2026,N,30-Oct-2026,,N,T30,W2
A15,CH15,R15,14-Apr-2026,Y,07-May-2026,,N,T20,W1
A16,CH16,R16,14-Apr-2026,Y,07-May-2026,,N,T20,W1
"""

ASSESSMENT_FACTORS = """\
cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json
AF01,A01,"[""6A""]"
AF02,A02,"[""3A"", ""3B""]"
AF03,A03,"[""1B""]"
AF04,A04,"{""5A"": ""Yes"", ""9A"": ""No""}"
AF05,A05,"[""4B""]"
AF06,A06,"[""18B""]"
AF07,A07,"[""2B""]"
AF08,A08,"[""21""]"
AF09,A09,"[""21""]"
AF10,A10,"[""4B"", ""1B""]"
AF11,A11,"[""1B"", ""4B""]"
AF12,A12,"[""5A""]"
AF13,A13,"[""1A""]"
AF14,A14,"[""2B""]"
AF15,A15,"[""1B""]"
AF16,A16,"[""22A""]"
"""

CIN_PLANS = """\
cinp_cin_plan_id,cinp_referral_id,cinp_person_id,cinp_cin_plan_start_date,cinp_cin_plan_end_date,cinp_cin_plan_team,cinp_cin_plan_worker_id
P01,R01,CH01,11/05/2026,25/09/2026,T20,W1
P02,R02,CH02,18/05/2026,10/08/2026,T20,W1
P03,R03,CH03,11/05/2026,02/10/2026,T20,W1
P04,R04,CH04,11/05/2026,09/10/2026,T20,W1
P05,R05,CH05,11/05/2026,04/09/2026,T20,W1
P06,R06,CH06,11/05/2026,11/09/2026,T20,W1
P07,R07,CH07,01/06/2026,30/10/2026,T20,W1
P10,R10,CH10,01/06/2026,,T20,W1
P15,R15,CH15,11/05/2026,31/07/2026,T20,W1
P16,R16,CH16,11/05/2026,31/07/2026,T20,W1
"""

S47_ENQUIRY = '''\
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa,s47e_s47_outcome_json,s47e_s47_completed_by_worker_id,s47e_s47_completed_by_team
S07,R07,CH07,2026-05-11 00:00:00.000,2026-05-22 00:00:00.000,N,"{""NFA_FLAG"": ""N"", ""LEGAL_ACTION_FLAG"": ""N"", ""PROV_OF_SERVICES_FLAG"": ""Y"", ""PROV_OF_SB_CARE_FLAG"": ""N"", ""CP_CONFERENCE_FLAG"": ""N"", ""NFA_CONTINUE_SINGLE_FLAG"": ""N"", ""MONITOR_FLAG"": ""N"", ""OTHER_OUTCOMES_EXIST_FLAG"": ""N"", ""TOTAL_NO_OF_OUTCOMES"": 1, ""OUTCOME_COMMENTS"": """"}",W1,T20
S10,R10,CH10,2026-05-11 00:00:00.000,2026-05-22 00:00:00.000,,"{""NFA_FLAG"": """", ""PROV_OF_SERVICES_FLAG"": ""Y"", ""CP_CONFERENCE_FLAG"": ""N""}",W1,T20
S11A,R11A,CH11,2023-01-16 00:00:00.000,2023-02-03 00:00:00.000,N,"{""CP_CONFERENCE_FLAG"": ""Y""}",W2,T30
S11B,R11B,CH11,2026-06-03 00:00:00.000,2026-06-19 00:00:00.000,N,"{""CP_CONFERENCE_FLAG"": ""Y""}",W2,T30
'''

INITIAL_CP_CONFERENCE = """\
icpc_icpc_id,icpc_icpc_meeting_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_referral_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag,icpc_icpc_outcome_json,icpc_icpc_team,icpc_icpc_worker_id
IC11A,M1,S11A,CH11,CP11A,R11A,N,2023-02-06,2023-02-06,Y,,T30,W2
IC11B,M2,,CH11,CP11B,R11B,N,2026-06-24,2026-06-23,Y,"{""CP_FLAG"": ""Y""}",T30,W2
"""

CP_PLANS = """\
cppl_cp_plan_id,cppl_referral_id,cppl_icpc_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_ola,cppl_cp_plan_latest_category
CP11A,R11A,IC11A,CH11,06/02/2023,06/11/2023,Neglect,N,Neglect
CP11B,,IC11B,CH11,23/06/2026,,"Multiple: Neglect, Emotional abuse",N,"Multiple: Neglect, Emotional abuse"
"""

CIN_VISITS = """\
cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen,cinv_cin_visit_seen_alone,cinv_cin_visit_bedroom
V1,CH10,2026-06-15 14:30:00.000,Y,Y,Y
V2,CH10,2025-01-10 10:00:00.000,Y,N,N
V3,CH12,2026-05-20 11:00:00.000,Y,N,Y
"""

CP_VISITS = """\
cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date,cppv_cp_visit_seen,cppv_cp_visit_seen_alone,cppv_cp_visit_bedroom
CV1,CH11,CP11B,2026-07-01 16:00:00.000,Y,Y,Y
"""

CLA_EPISODES = """\
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased_date,clae_cla_episode_ceased_reason,clae_cla_id,clae_referral_id,clae_cla_placement_id,clae_entered_care_date,clae_cla_last_iro_contact_date
CLA12,CH12,2026-05-01,S,N1,,,CL12,R12,PL12,2026-05-01,2026-08-03
CLA13,CH13,2021-03-01,S,N5,2025-02-14,E8,CL13,,PL13,2021-03-01,2025-01-20
"""

CARE_LEAVERS = """\
clea_table_id,clea_person_id,clea_care_leaver_eligibility,clea_care_leaver_in_touch,clea_care_leaver_latest_contact,clea_care_leaver_accommodation,clea_care_leaver_accom_suitable,clea_care_leaver_activity,clea_pathway_plan_review_date,clea_care_leaver_personal_advisor,clea_care_leaver_allocated_team,clea_care_leaver_worker_id
CL1,CH13,Former Relevant,YES,2026-10-20,S,1,F2,2026-09-01,Cam Ridley,T40,W3
"""

# (file name, text, encoding)
FILES = [
    ("ssd_person.csv", PERSON, "cp1252"),
    ("ssd_department.csv", DEPARTMENT, "utf-8-sig"),
    ("ssd_professionals.csv", PROFESSIONALS, "utf-8"),
    ("ssd_disability.csv", DISABILITY, "utf-8"),
    ("ssd_family.csv", FAMILY, "utf-8"),
    ("ssd_mother.csv", MOTHER, "utf-8"),
    ("ssd_cin_episodes.csv", CIN_EPISODES, "utf-8"),
    ("ssd_involvements.csv", INVOLVEMENTS, "utf-8"),
    ("ssd_cin_assessments.csv", CIN_ASSESSMENTS, "utf-8"),
    ("ssd_assessment_factors.csv", ASSESSMENT_FACTORS, "utf-8"),
    ("ssd_cin_plans.csv", CIN_PLANS, "utf-8"),
    ("ssd_s47_enquiry.csv", S47_ENQUIRY, "utf-8"),
    ("ssd_initial_cp_conference.csv", INITIAL_CP_CONFERENCE, "utf-8"),
    ("ssd_cp_plans.csv", CP_PLANS, "utf-8"),
    ("ssd_cin_visits.csv", CIN_VISITS, "utf-8"),
    ("ssd_cp_visits.csv", CP_VISITS, "utf-8"),
    ("ssd_cla_episodes.csv", CLA_EPISODES, "utf-8"),
    ("ssd_care_leavers.csv", CARE_LEAVERS, "utf-8"),
]


def write(folder) -> None:
    """The extract as files, each in its encoding, with Windows line ends as SQL Server writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text, encoding in FILES:
        (folder / name).write_bytes(text.replace("\n", "\r\n").encode(encoding))
