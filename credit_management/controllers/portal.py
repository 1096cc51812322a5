# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's own credit on the portal.

No route takes a partner or record id: what is shown is always the portal
user's own commercial partner in the user's current company, read with
sudo and filtered on it (``res.partner._credit_portal_values``).
"""
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

STATEMENT_REPORT = "credit_management.credit_statement_report_action"


class CreditPortal(CustomerPortal):

    def _credit_portal_partner(self):
        return request.env["res.partner"]._credit_portal_partner(
            request.env.user)

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["credit_portal"] = bool(self._credit_portal_partner())
        return values

    @http.route(["/my/credit"], type="http", auth="user", website=True)
    def portal_my_credit(self, **kw):
        partner = self._credit_portal_partner()
        if not partner:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(partner._credit_portal_values(request.env.user.company_id))
        values["page_name"] = "credit"
        return request.render("credit_management.portal_my_credit", values)

    @http.route(["/my/credit/statement"], type="http", auth="user",
                website=True)
    def portal_my_credit_statement(self, **kw):
        partner = self._credit_portal_partner()
        if not partner:
            return request.redirect("/my")
        user = request.env.user
        pdf = request.env.ref(STATEMENT_REPORT).sudo().render_qweb_pdf(
            [partner.id], data={"company_id": user.company_id.id,
                                "lang": user.lang})[0]
        filename = "statement-%s.pdf" % (partner.ref or partner.id)
        return request.make_response(pdf, headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", 'attachment; filename="%s"' % filename),
        ])
