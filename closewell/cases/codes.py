"""Code lists of the CIN census (DfE schema 2026) and the Assessment Framework, as TextChoices."""

from django.db import models


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and child minders)"
    SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other (including strangers)"
    SCHOOLS = "2A", "Schools"
    EDUCATION = "2B", "Education services"
    GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    PRIMARY_HEALTH = "3D", "Health services: other primary health services"
    A_AND_E = "3E", "Health services: A&E"
    HEALTH_OTHER = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "LA services: social care"
    LA_OTHER_INTERNAL = "5B", "LA services: other internal"
    LA_EXTERNAL = "5C", "LA services: external"
    EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    ABUSE_NEGLECT = "N1", "Abuse, neglect and exploitation"
    CHILD_DISABILITY = "N2", "Child's disability"
    PARENT_DISABILITY = "N3", "Parental disability or illness"
    ACUTE_STRESS = "N4", "Family in acute stress"
    DYSFUNCTION = "N5", "Family dysfunction"
    BEHAVIOUR = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_CIN = "N9", "Cases other than children in need"
    NOT_STATED = "N0", "Not stated"


class ReasonForClosure(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care services"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


# Closing "after assessment" (RC8, RC9) means nothing beyond the assessment happened (rule 8825Q, 2990).
AFTER_ASSESSMENT_REASONS = frozenset({ReasonForClosure.RC8, ReasonForClosure.RC9})


class AssessmentFactor(models.TextChoices):
    ALCOHOL_CHILD = "1A", "Alcohol misuse by the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse by the parent(s) or carer(s)"
    ALCOHOL_OTHER = "1C", "Alcohol misuse by another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse by the child"
    DRUGS_PARENT = "2B", "Drug misuse by the parent(s) or carer(s)"
    DRUGS_OTHER = "2C", "Drug misuse by another person in the household"
    DV_CHILD = "3A", "Domestic abuse: the child is the subject"
    DV_PARENT = "3B", "Domestic abuse: the parent(s) or carer(s) are the subject"
    DV_OTHER = "3C", "Domestic abuse: another person in the household is the subject"
    MH_CHILD = "4A", "Mental health of the child"
    MH_PARENT = "4B", "Mental health of the parent(s) or carer(s)"
    MH_OTHER = "4C", "Mental health of another person in the family"
    LD_CHILD = "5A", "Learning disability of the child"
    LD_PARENT = "5B", "Learning disability of the parent(s) or carer(s)"
    LD_OTHER = "5C", "Learning disability of another person in the family"
    PD_CHILD = "6A", "Physical disability or illness of the child"
    PD_PARENT = "6B", "Physical disability or illness of the parent(s) or carer(s)"
    PD_OTHER = "6C", "Physical disability or illness of another person in the family"
    YOUNG_CARER = "7A", "Young carer"
    PF_OVERSEAS_RETURN = "8B", "Privately fostered: overseas child who intends to return"
    PF_OVERSEAS_STAY = "8C", "Privately fostered: overseas child who intends to stay"
    PF_EDUCATION = "8D", "Privately fostered: UK child in an educational placement"
    PF_FAMILY = "8E", "Privately fostered: UK child in an alternative family arrangement"
    PF_OTHER = "8F", "Privately fostered: other"
    UASC = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    CSE = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL = "17A", "Emotional abuse"
    PHYSICAL = "18A", "Physical abuse"
    PHYSICAL_CHILD = "18B", "Physical abuse by another child"
    PHYSICAL_ADULT = "18C", "Physical abuse by an adult"
    SEXUAL = "19A", "Sexual abuse"
    SEXUAL_CHILD = "19B", "Sexual abuse by another child"
    SEXUAL_ADULT = "19C", "Sexual abuse by an adult"
    OTHER = "20", "Other"
    NONE = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH = "23A", "Abuse linked to faith or belief"
    CCE = "24A", "Child criminal exploitation"


# Factors that mean an assessment identified domestic abuse: the Closure Record's section 7 is then due.
DOMESTIC_ABUSE_FACTORS = frozenset(
    {AssessmentFactor.DV_CHILD, AssessmentFactor.DV_PARENT, AssessmentFactor.DV_OTHER}
)


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class UPNUnknown(models.TextChoices):
    UN1 = "UN1", "Child is now aged 6 or over and has never attended a school in England"
    UN2 = "UN2", "Child has never been issued with a UPN (under 6)"
    UN3 = "UN3", "Child is educated outside England"
    UN4 = "UN4", "Child newly arrived: UPN not yet known"
    UN5 = "UN5", "Sources do not hold the UPN"
    UN6 = "UN6", "Child is under 6 and not yet at school"
    UN7 = "UN7", "Referral with no further action before a UPN was obtained"


class CategoryOfAbuse(models.TextChoices):
    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    SAB = "SAB", "Sexual abuse"
    EMO = "EMO", "Emotional abuse"
    MUL = "MUL", "Multiple"


class Domain(models.TextChoices):
    """The three domains of the Assessment Framework (2000)."""

    CHILD_DEVELOPMENT = "child_development", "Child's developmental needs"
    PARENTING_CAPACITY = "parenting_capacity", "Parenting capacity"
    FAMILY_ENVIRONMENT = "family_environment", "Family and environmental factors"


class Dimension(models.TextChoices):
    """The dimensions of each domain; DIMENSION_DOMAIN says which domain each belongs to."""

    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    EMOTIONAL_BEHAVIOURAL = "emotional_behavioural", "Emotional and behavioural development"
    IDENTITY = "identity", "Identity"
    FAMILY_SOCIAL_RELATIONSHIPS = "family_social_relationships", "Family and social relationships"
    SOCIAL_PRESENTATION = "social_presentation", "Social presentation"
    SELF_CARE = "self_care", "Self-care skills"
    BASIC_CARE = "basic_care", "Basic care"
    ENSURING_SAFETY = "ensuring_safety", "Ensuring safety"
    EMOTIONAL_WARMTH = "emotional_warmth", "Emotional warmth"
    STIMULATION = "stimulation", "Stimulation"
    GUIDANCE_BOUNDARIES = "guidance_boundaries", "Guidance and boundaries"
    STABILITY = "stability", "Stability"
    FAMILY_HISTORY = "family_history", "Family history and functioning"
    WIDER_FAMILY = "wider_family", "Wider family"
    HOUSING = "housing", "Housing"
    EMPLOYMENT = "employment", "Employment"
    INCOME = "income", "Income"
    SOCIAL_INTEGRATION = "social_integration", "Family's social integration"
    COMMUNITY_RESOURCES = "community_resources", "Community resources"


DIMENSION_DOMAIN: dict[str, str] = {
    **{
        d: Domain.CHILD_DEVELOPMENT
        for d in (
            Dimension.HEALTH,
            Dimension.EDUCATION,
            Dimension.EMOTIONAL_BEHAVIOURAL,
            Dimension.IDENTITY,
            Dimension.FAMILY_SOCIAL_RELATIONSHIPS,
            Dimension.SOCIAL_PRESENTATION,
            Dimension.SELF_CARE,
        )
    },
    **{
        d: Domain.PARENTING_CAPACITY
        for d in (
            Dimension.BASIC_CARE,
            Dimension.ENSURING_SAFETY,
            Dimension.EMOTIONAL_WARMTH,
            Dimension.STIMULATION,
            Dimension.GUIDANCE_BOUNDARIES,
            Dimension.STABILITY,
        )
    },
    **{
        d: Domain.FAMILY_ENVIRONMENT
        for d in (
            Dimension.FAMILY_HISTORY,
            Dimension.WIDER_FAMILY,
            Dimension.HOUSING,
            Dimension.EMPLOYMENT,
            Dimension.INCOME,
            Dimension.SOCIAL_INTEGRATION,
            Dimension.COMMUNITY_RESOURCES,
        )
    },
}


class Parent(models.TextChoices):
    """Whose parenting an action addresses: for a looked-after child it is recorded twice."""

    BIRTH_FAMILY = "birth_family", "Birth family"
    CORPORATE_PARENT = "corporate_parent", "Corporate parent (the council)"


def by_framework(items, *, by_parent: bool = False) -> list[tuple[str, str, list[tuple[str, list]]]]:
    """Planned actions (anything with .dimension and .parent) under their Assessment Framework domain
    and dimension, in the Framework's order: (domain, parent, [(dimension, items), ...]) for every
    domain, listing only the dimensions that have items. The one grouping of actions by domain: the
    case page and the Closure Record's review both use it.

    by_parent (a looked-after child): parenting capacity and family and environment come twice,
    birth family and corporate parent; the child's development once.
    """
    grouped: dict[tuple[str, str, str], list] = {}
    for item in items:
        domain = DIMENSION_DOMAIN[item.dimension]
        parent = item.parent if by_parent and domain != Domain.CHILD_DEVELOPMENT else ""
        grouped.setdefault((domain, parent, item.dimension), []).append(item)
    groups = []
    for domain in Domain:
        parents = list(Parent) if by_parent and domain != Domain.CHILD_DEVELOPMENT else [""]
        for parent in parents:
            dimensions = [
                (dimension, grouped[(domain, parent, dimension)])
                for dimension in Dimension
                if DIMENSION_DOMAIN[dimension] == domain and (domain, parent, dimension) in grouped
            ]
            groups.append((domain, parent, dimensions))
    return groups
