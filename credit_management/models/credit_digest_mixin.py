# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CreditDigestMixin(models.AbstractModel):
    """One list a day for one controller, with one to-do, instead of one
    activity per record: the warnings raised for them
    (``credit.warning.digest``), the customers that reached a collection
    level (``credit.collection.digest``)."""

    _name = "credit.digest.mixin"
    _description = "Credit Daily Digest"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", "Responsible", required=True, readonly=True, index=True)

    @api.model
    def _get_for(self, company, user, date):
        """The digest of ``user`` for ``company`` and ``date``, created with
        its to-do the first time something is listed for them that day."""
        digest = self.search([("date", "=", date),
                              ("company_id", "=", company.id),
                              ("user_id", "=", user.id)], limit=1)
        if digest:
            return digest
        digest = self.with_context(tracking_disable=True).create({
            "date": date, "company_id": company.id, "user_id": user.id})
        self.env["mail.activity"].create(digest._prepare_activity_vals())
        return digest

    def _prepare_activity_vals(self):
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": self._activity_summary(),
            "note": self._activity_note(),
            "user_id": self.user_id.id,
            "date_deadline": self.date,
        }

    def _activity_summary(self):
        """The to-do's summary."""
        raise NotImplementedError()

    def _activity_note(self):
        """The to-do's note (HTML)."""
        raise NotImplementedError()
