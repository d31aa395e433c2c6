"""KYC reason codes from the exchange, in plain words, with how to fix them.

The exchange sends codes only (never document names, numbers or images);
this table turns them into advice and a help-centre article.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reason:
    code: str
    text: Promise | str
    fix: Promise | str
    article_slug: str


REASONS = {
    r.code: r
    for r in [
        Reason(
            "POA_TOO_OLD",
            _("Your proof of address is older than 3 months."),
            _("Upload a bank statement or utility bill issued in the last 3 months."),
            "kyc-rejected",
        ),
        Reason(
            "POA_NAME_MISMATCH",
            _("The name on your proof of address does not match your account."),
            _("Use a document issued in the same name as your verified identity."),
            "kyc-rejected",
        ),
        Reason(
            "POA_UNREADABLE",
            _("We could not read your proof of address."),
            _("Take a new photo in good light, with all four corners visible and no glare."),
            "kyc-rejected",
        ),
        Reason(
            "ID_EXPIRED",
            _("Your identity document has expired."),
            _("Verify again with a valid passport, ID card or driving licence."),
            "complete-identity-verification",
        ),
        Reason(
            "ID_UNREADABLE",
            _("Your identity document photo was blurry or cut off."),
            _("Retake the photo on a flat surface, all four corners in the frame, no flash."),
            "complete-identity-verification",
        ),
        Reason(
            "SELFIE_MISMATCH",
            _("Your selfie did not match the photo on your document."),
            _("Retake the selfie facing the camera, without glasses, hat or filters."),
            "complete-identity-verification",
        ),
        Reason(
            "UNSUPPORTED_DOCUMENT",
            _("That type of document is not accepted for this level."),
            _("Check the list of accepted documents for your country and submit one of them."),
            "kyc-verification-levels",
        ),
        Reason(
            "SOURCE_OF_FUNDS_MISSING",
            _("Advanced verification needs information about your source of funds."),
            _("Complete the source-of-funds questionnaire in the app and add a recent statement."),
            "kyc-verification-levels",
        ),
        Reason(
            "COUNTRY_RESTRICTED",
            _("We cannot offer verification in your country of residence."),
            _("This cannot be fixed by uploading documents; support can explain your options."),
            "kyc-verification-levels",
        ),
        Reason(
            "DUPLICATE_ACCOUNT",
            _("Your identity is already verified on another account."),
            _("Sign in to the account you verified first, or open a ticket to merge accounts."),
            "kyc-rejected",
        ),
    ]
}

UNKNOWN = Reason(
    "OTHER",
    _("Our reviewers need something else from you."),
    _("Check your e-mail from us for details, or open a ticket about verification."),
    "kyc-rejected",
)


def reason_for(code: str) -> Reason:
    return REASONS.get(code, Reason(code, UNKNOWN.text, UNKNOWN.fix, UNKNOWN.article_slug))
