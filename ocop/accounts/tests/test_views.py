import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_vietnamese(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in html


def test_a_user_logs_in_and_sees_their_profile(client, province_officer, password):
    response = client.post(reverse("accounts:login"), {"username": "province", "password": password})
    assert response.status_code == 302
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Cao Bằng" in html


def test_a_wrong_password_is_refused_with_a_message(client, province_officer):
    response = client.post(reverse("accounts:login"), {"username": "province", "password": "nope"})
    assert response.status_code == 200
    assert "error" in response.content.decode()


def test_back_office_pages_need_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_password_reset_sends_an_email_with_a_working_link(client, buyer):
    client.post(reverse("accounts:password-reset"), {"email": buyer.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Mot-mat-khau-moi-2025", "new_password2": "Mot-mat-khau-moi-2025"}
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.check_password("Mot-mat-khau-moi-2025")


def test_the_profile_refuses_a_phone_with_letters(client, buyer, password):
    # Through the login page: django-axes checks every authentication against the request it came with.
    client.post(reverse("accounts:login"), {"username": "buyer", "password": password})
    response = client.post(reverse("accounts:profile"), {"full_name": "Lê Văn A", "email": "a@b.vn", "phone": "09x"})
    assert response.status_code == 200
    buyer.refresh_from_db()
    assert buyer.phone == ""
