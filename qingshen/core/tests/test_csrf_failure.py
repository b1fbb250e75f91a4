from django.test import Client


def test_a_post_without_a_valid_csrf_token_gets_a_chinese_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("county"))
    response = client.post("/enterprises/add/", {"name": "涿州测试企业（CSRF 测试）"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "页面已过期，本次提交未被接受" in text and "返回上一页" in text
