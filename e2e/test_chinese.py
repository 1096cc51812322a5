"""Scenario 3: a salesperson who works in Chinese (zh_CN) is told why the
order is held, in Chinese."""
import pytest

from flows import FORM, MODAL, create_quotation
from harness import log
from seed import CUSTOMER_ZH, PRODUCT

CHINESE = {
    "Sales": "销售", "Quotations": "报价单", "Create": "创建", "New": "新建",
    "Customer": "客户", "Add an item": "添加项目", "Save": "保存",
}


@pytest.fixture(scope="module")
def chinese_salesperson(odoo, rpc):
    """Simplified Chinese loaded in the database; the salesperson uses it."""
    if not rpc("res.lang", "search", [("code", "=", "zh_CN")]):
        log("loading the Chinese (zh_CN) translations")
        wizard = rpc("base.language.install", "create", {"lang": "zh_CN"})
        rpc("base.language.install", "lang_install", [wizard])
    person = odoo.data["sales_zh"]
    rpc("res.users", "write", [person.id], {"lang": "zh_CN"})
    return person


def test_held_order_message_in_chinese(odoo, web, chinese_salesperson):
    """The hold pop-up, its reasons, amounts and who decides are in Chinese."""
    person = chinese_salesperson
    web.login(person.login, person.password)
    order = create_quotation(web, CUSTOMER_ZH, PRODUCT, CHINESE)
    assert web.status() == "报价单"
    web.click_button("确认销售", FORM)

    dialog = web.dialog("信用冻结")
    web.wait_text("未被确认", MODAL)
    text = " ".join(dialog.text.split())
    web.screenshot("zh-sales-credit-hold-message")
    assert "信用冻结" in text and order in text, text
    assert "在信用管理小组放行或拒绝之前，它仍是报价单。" in text, text
    assert "超出信用额度：" in text, text
    assert "本订单 € 1,500.00" in text and "信用额度 € 1,000.00" in text, text
    assert "超出 € 500.00" in text, text
    assert web.field_value_cell("信用额度", MODAL).startswith("1,000.00")
    assert web.field_value_cell("超出额度金额", MODAL).startswith("500.00")
    assert web.field_value_cell("由谁决定", MODAL) == "信用主管"
    assert "Credit" not in text and "limit" not in text, text  # nothing left in English
    web.click(MODAL + "//div[contains(@class,'modal-footer')]//button")
    web.wait_gone(MODAL)

    # the quotation stays a quotation and the chatter says why, in Chinese
    assert web.status() == "报价单"
    messages = web.chatter_messages()
    assert any("信用冻结：订单未确认。" in message for message in messages), messages
    web.screenshot("zh-sales-order-on-hold")
