# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# The table and its triggers. Every change of an open receivable item of a
# posted entry (insert, residual or reconciliation change, delete, the entry
# posted or reset to draft) moves its residual into one bucket per partner,
# account and due date, in the same transaction. The order check then sums a
# few hundred buckets instead of every open item (100,000 for a large
# customer), and stays cheap however many invoices a customer has; a second
# table keeps the total per partner and account for the customer filters.
BALANCE_SQL = """
CREATE TABLE IF NOT EXISTS credit_receivable_balance (
    id serial PRIMARY KEY,
    partner_id integer NOT NULL,
    account_id integer NOT NULL,
    company_id integer,
    date_maturity date NOT NULL,
    amount_residual numeric NOT NULL DEFAULT 0,
    positive_count integer NOT NULL DEFAULT 0,
    CONSTRAINT credit_receivable_balance_key
        UNIQUE (partner_id, account_id, date_maturity)
);

CREATE TABLE IF NOT EXISTS credit_receivable_total (
    partner_id integer NOT NULL,
    account_id integer NOT NULL,
    company_id integer,
    amount_residual numeric NOT NULL DEFAULT 0,
    oldest_open_due date,
    PRIMARY KEY (partner_id, account_id)
);

CREATE OR REPLACE FUNCTION credit_balance_add(
        p_partner integer, p_account integer, p_company integer, p_date date,
        p_amount numeric, p_positive integer) RETURNS void AS $$
BEGIN
    IF p_partner IS NULL OR p_date IS NULL
            OR (COALESCE(p_amount, 0) = 0 AND p_positive = 0) THEN
        RETURN;
    END IF;
    INSERT INTO credit_receivable_balance AS b
           (partner_id, account_id, company_id, date_maturity, amount_residual,
            positive_count)
    VALUES (p_partner, p_account, p_company, p_date, COALESCE(p_amount, 0),
            p_positive)
    ON CONFLICT (partner_id, account_id, date_maturity) DO UPDATE
       SET amount_residual = b.amount_residual + EXCLUDED.amount_residual,
           positive_count = b.positive_count + EXCLUDED.positive_count;
    DELETE FROM credit_receivable_balance
     WHERE partner_id = p_partner AND account_id = p_account
       AND date_maturity = p_date AND amount_residual = 0
       AND positive_count = 0;
    IF COALESCE(p_amount, 0) <> 0 THEN
        INSERT INTO credit_receivable_total AS t
               (partner_id, account_id, company_id, amount_residual)
        VALUES (p_partner, p_account, p_company, p_amount)
        ON CONFLICT (partner_id, account_id) DO UPDATE
           SET amount_residual = t.amount_residual + EXCLUDED.amount_residual;
    END IF;
    IF p_positive <> 0 THEN
        UPDATE credit_receivable_total
           SET oldest_open_due = (
               SELECT MIN(date_maturity) FROM credit_receivable_balance
                WHERE partner_id = p_partner AND account_id = p_account
                  AND positive_count > 0)
         WHERE partner_id = p_partner AND account_id = p_account;
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION credit_balance_counts(
        p_move integer, p_account integer) RETURNS boolean AS $$
    SELECT EXISTS (SELECT 1 FROM account_move m, account_account a
                    WHERE m.id = p_move AND m.state = 'posted'
                      AND a.id = p_account AND a.internal_type = 'receivable')
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION credit_balance_aml_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.reconciled IS NOT TRUE
            AND OLD.partner_id IS NOT NULL
            AND credit_balance_counts(OLD.move_id, OLD.account_id) THEN
        PERFORM credit_balance_add(
            OLD.partner_id, OLD.account_id, OLD.company_id, OLD.date_maturity,
            -OLD.amount_residual,
            -(CASE WHEN OLD.amount_residual > 0 THEN 1 ELSE 0 END));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.reconciled IS NOT TRUE
            AND NEW.partner_id IS NOT NULL
            AND credit_balance_counts(NEW.move_id, NEW.account_id) THEN
        PERFORM credit_balance_add(
            NEW.partner_id, NEW.account_id, NEW.company_id, NEW.date_maturity,
            NEW.amount_residual,
            CASE WHEN NEW.amount_residual > 0 THEN 1 ELSE 0 END);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION credit_balance_move_trigger() RETURNS trigger AS $$
DECLARE
    sign integer;
BEGIN
    IF OLD.state IS NOT DISTINCT FROM NEW.state
            OR (OLD.state <> 'posted' AND NEW.state <> 'posted') THEN
        RETURN NULL;
    END IF;
    sign := CASE WHEN NEW.state = 'posted' THEN 1 ELSE -1 END;
    PERFORM credit_balance_add(
        l.partner_id, l.account_id, l.company_id, l.date_maturity,
        sign * l.amount_residual,
        sign * (CASE WHEN l.amount_residual > 0 THEN 1 ELSE 0 END))
       FROM account_move_line l
       JOIN account_account a ON a.id = l.account_id
      WHERE l.move_id = NEW.id AND l.reconciled IS NOT TRUE
        AND l.partner_id IS NOT NULL AND a.internal_type = 'receivable';
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS credit_balance_aml ON account_move_line;
CREATE TRIGGER credit_balance_aml
    AFTER INSERT OR DELETE OR UPDATE OF amount_residual, reconciled, partner_id,
        account_id, date_maturity, move_id, company_id
    ON account_move_line FOR EACH ROW EXECUTE PROCEDURE credit_balance_aml_trigger();
DROP TRIGGER IF EXISTS credit_balance_move ON account_move;
CREATE TRIGGER credit_balance_move AFTER UPDATE OF state ON account_move
    FOR EACH ROW EXECUTE PROCEDURE credit_balance_move_trigger();
"""

REBUILD_SQL = """
DELETE FROM credit_receivable_balance;
DELETE FROM credit_receivable_total;
INSERT INTO credit_receivable_balance
       (partner_id, account_id, company_id, date_maturity, amount_residual,
        positive_count)
SELECT l.partner_id, l.account_id, MIN(l.company_id), l.date_maturity,
       SUM(l.amount_residual),
       COUNT(*) FILTER (WHERE l.amount_residual > 0)
  FROM account_move_line l
  JOIN account_move m ON m.id = l.move_id
  JOIN account_account a ON a.id = l.account_id
 WHERE l.reconciled IS NOT TRUE AND l.partner_id IS NOT NULL
   AND m.state = 'posted' AND a.internal_type = 'receivable'
 GROUP BY l.partner_id, l.account_id, l.date_maturity;
INSERT INTO credit_receivable_total
       (partner_id, account_id, company_id, amount_residual, oldest_open_due)
SELECT partner_id, account_id, MIN(company_id), SUM(amount_residual),
       MIN(date_maturity) FILTER (WHERE positive_count > 0)
  FROM credit_receivable_balance
 GROUP BY partner_id, account_id;
"""


class CreditReceivableBalance(models.Model):
    """Open receivable of posted entries per partner, account and due date.

    Kept by database triggers in the same transaction as the journal items;
    read by the order check and the customer filters.
    """

    _name = "credit.receivable.balance"
    _description = "Open Receivable Balance by Due Date"
    _auto = False
    _order = "partner_id, date_maturity"

    partner_id = fields.Many2one("res.partner", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_maturity = fields.Date("Due Date", readonly=True)
    amount_residual = fields.Float("Open Amount", readonly=True)
    positive_count = fields.Integer("Open Items", readonly=True)

    @api.model_cr
    def init(self):
        cr = self.env.cr
        cr.execute("""
            SELECT to_regclass('credit_receivable_total') IS NULL
                OR NOT EXISTS (
                    SELECT 1 FROM information_schema.columns
                     WHERE table_name = 'credit_receivable_total'
                       AND column_name = 'oldest_open_due')""")
        created = cr.fetchone()[0]
        cr.execute("DROP TABLE IF EXISTS credit_receivable_total" if created
                   else "SELECT 1")
        cr.execute(BALANCE_SQL)
        if created:
            cr.execute(REBUILD_SQL)

    @api.model
    def _rebuild(self):
        """Recompute every bucket from the journal items."""
        self.env.cr.execute(REBUILD_SQL)
        return True
