"""The test provider's claims: names, email, the user's groups and an `amr` saying how they signed in."""

from oauth2_provider.oauth2_validators import OAuth2Validator

MFA_GROUP = "mfa"


class GroupsValidator(OAuth2Validator):
    # Every claim, whatever the scopes (as Entra ID sends groups in the ID token when configured).
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        groups = sorted(user.groups.values_list("name", flat=True))
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "groups": [group for group in groups if group != MFA_GROUP],
            "amr": ["pwd", "mfa"] if MFA_GROUP in groups else ["pwd"],
        }
