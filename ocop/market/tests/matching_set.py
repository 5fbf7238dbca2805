"""A labelled set for demand matching: products as provinces list them, demands as buyers write them, and
for each demand the products a trade-promotion officer judged relevant. Precision of the first five is
measured by test_matching.py; keep the set when changing the weights, add to it when a match is wrong.

Products: (name, criteria-set code, stars, province code, annual capacity, capacity unit, description).
"""

from __future__ import annotations

PRODUCTS = [
    # Honey (I.2.b)
    ("Mật ong rừng Tây Bắc", "I.2.b", 4, "14", 12000, "kg", "Mật ong rừng tự nhiên, đạt VietGAP."),
    ("Mật ong bạc hà Mèo Vạc", "I.2.b", 4, "08", 8000, "kg", "Mật ong bạc hà cao nguyên đá."),
    ("Mật ong hoa nhãn Hưng Yên", "I.2.b", 3, "33", 20000, "kg", "Mật ong hoa nhãn, hữu cơ."),
    ("Mật ong hoa cà phê Đắk Lắk", "I.2.b", 3, "66", 30000, "kg", "Mật ong hoa cà phê Tây Nguyên."),
    ("Mật ong hoa vải Lục Ngạn", "I.2.b", 4, "24", 15000, "kg", "Mật ong hoa vải thiều."),
    ("Mật ong rừng U Minh", "I.2.b", 3, "96", 5000, "kg", "Mật ong rừng tràm U Minh."),
    ("Mật mía Quảng Ngãi", "I.2.b", 3, "51", 40000, "kg", "Mật mía truyền thống."),
    # Rice (I.2.a)
    ("Gạo ST25 Sóc Trăng", "I.2.a", 5, "92", 500000, "kg", "Gạo ST25 đạt chuẩn xuất khẩu, VietGAP."),
    ("Gạo nếp cái hoa vàng Đông Triều", "I.2.a", 4, "22", 200000, "kg", "Gạo nếp cái hoa vàng."),
    ("Gạo Séng Cù Mường Khương", "I.2.a", 4, "15", 150000, "kg", "Gạo Séng Cù vùng cao."),
    ("Gạo tám thơm Hải Hậu", "I.2.a", 3, "37", 300000, "kg", "Gạo tám thơm đặc sản."),
    ("Gạo lứt đỏ hữu cơ Điện Biên", "I.2.a", 4, "11", 80000, "kg", "Gạo lứt hữu cơ."),
    ("Gạo Bao Thai Định Hóa", "I.2.a", 3, "19", 100000, "kg", "Gạo Bao Thai."),
    ("Ngô nếp Mèo Vạc", "I.2.a", 3, "08", 50000, "kg", "Ngô nếp địa phương."),
    # Green tea (I.5.a)
    ("Chè Shan tuyết Suối Giàng", "I.5.a", 5, "15", 20000, "kg", "Chè Shan tuyết cổ thụ."),
    ("Chè Tân Cương Thái Nguyên", "I.5.a", 4, "19", 50000, "kg", "Chè búp Tân Cương, VietGAP."),
    ("Chè búp Phú Thọ", "I.5.a", 3, "25", 30000, "kg", "Chè xanh búp."),
    ("Trà xanh Mộc Châu", "I.5.a", 4, "14", 40000, "kg", "Trà xanh cao nguyên."),
    ("Hồng trà Hà Giang", "I.5.a", 3, "08", 10000, "kg", "Hồng trà lên men."),
    ("Chè Thái Nguyên đặc biệt", "I.5.a", 4, "19", 25000, "kg", "Chè móc câu."),
    # Herbal teas (I.5.b)
    ("Trà hoa vàng Ba Chẽ", "I.5.b", 4, "22", 3000, "kg", "Trà hoa vàng quý."),
    ("Trà atiso Đà Lạt", "I.5.b", 4, "68", 20000, "kg", "Trà atiso túi lọc."),
    # Coffee (I.6)
    ("Cà phê Robusta Buôn Ma Thuột", "I.6", 4, "66", 200000, "kg", "Cà phê nhân Robusta."),
    ("Cà phê Arabica Cầu Đất", "I.6", 5, "68", 50000, "kg", "Cà phê Arabica hữu cơ."),
    ("Cà phê rang xay Khe Sanh", "I.6", 3, "46", 40000, "kg", "Cà phê rang xay nguyên chất."),
    ("Cà phê Robusta Gia Lai", "I.6", 3, "52", 150000, "kg", "Cà phê Robusta."),
    ("Cà phê Arabica Sơn La", "I.6", 4, "14", 60000, "kg", "Cà phê Arabica."),
    ("Ca cao nguyên chất Bến Tre", "I.6", 3, "86", 10000, "kg", "Bột ca cao."),
    # Fish sauce (I.4.a)
    ("Nước mắm Phú Quốc", "I.4.a", 4, "91", 300000, "lít", "Nước mắm cá cơm truyền thống."),
    ("Nước mắm truyền thống Cửa Lò", "I.4.a", 3, "40", 100000, "lít", "Nước mắm truyền thống."),
    ("Nước mắm cốt Cát Hải", "I.4.a", 4, "31", 80000, "lít", "Nước mắm cốt cá cơm."),
    ("Nước mắm Nam Ô", "I.4.a", 3, "48", 50000, "lít", "Nước mắm làng nghề."),
    ("Nước mắm Phan Thiết", "I.4.a", 4, "68", 200000, "lít", "Nước mắm cá cơm."),
    ("Tương Nam Đàn", "I.4.a", 3, "40", 30000, "lít", "Tương đậu truyền thống."),
    # Vermicelli and noodles (I.3.b)
    ("Miến dong Bình Liêu", "I.3.b", 4, "22", 100000, "kg", "Miến dong sạch."),
    ("Miến dong Nguyên Bình", "I.3.b", 3, "04", 60000, "kg", "Miến dong Cao Bằng."),
    ("Miến dong Việt Cường", "I.3.b", 3, "24", 80000, "kg", "Miến dong làng nghề."),
    ("Miến dong Na Rì", "I.3.b", 3, "19", 40000, "kg", "Miến dong Bắc Kạn."),
    ("Miến dong Phia Đén", "I.3.b", 4, "04", 30000, "kg", "Miến dong thủ công."),
    ("Phở khô Nam Định", "I.3.b", 3, "37", 70000, "kg", "Bánh phở khô."),
    ("Bún khô Quảng Ninh", "I.3.b", 3, "22", 50000, "kg", "Bún khô gạo."),
    # Fresh fruit (I.1.a)
    ("Cam sành Hàm Yên", "I.1.a", 4, "08", 500000, "kg", "Cam sành VietGAP."),
    ("Bưởi Diễn Phú Diễn", "I.1.a", 4, "01", 200000, "kg", "Bưởi Diễn."),
    ("Cam Cao Phong", "I.1.a", 4, "25", 400000, "kg", "Cam Cao Phong GlobalGAP."),
    ("Cam Vinh Nghệ An", "I.1.a", 3, "40", 300000, "kg", "Cam Vinh."),
    ("Cam Văn Chấn", "I.1.a", 3, "15", 200000, "kg", "Cam đường canh."),
    ("Cam sành Vĩnh Long", "I.1.a", 3, "86", 600000, "kg", "Cam sành miền Tây."),
    ("Vải thiều Lục Ngạn", "I.1.a", 4, "24", 1000000, "kg", "Vải thiều xuất khẩu."),
    # Liquor (II.1.a)
    ("Rượu Làng Vân", "II.1.a", 4, "24", 50000, "lít", "Rượu gạo truyền thống."),
    ("Rượu ngô men lá Bắc Hà", "II.1.a", 3, "15", 30000, "lít", "Rượu ngô."),
    # Handicrafts (IV.1)
    ("Mây tre đan Phú Vinh", "IV.1", 4, "01", 20000, "chiếc", "Mây tre đan xuất khẩu."),
    ("Giỏ mây tre đan Quảng Nam", "IV.1", 3, "48", 15000, "chiếc", "Giỏ mây tre đan thủ công."),
    ("Mây tre đan Ninh Sở", "IV.1", 3, "01", 10000, "chiếc", "Mây tre đan."),
    ("Khay mây tre đan Thái Bình", "IV.1", 3, "33", 12000, "chiếc", "Khay mây tre đan."),
    ("Đèn mây tre đan Hội An", "IV.1", 4, "48", 8000, "chiếc", "Đèn mây tre đan."),
    ("Gốm Bát Tràng", "IV.1", 5, "01", 100000, "chiếc", "Gốm sứ."),
    ("Nón lá Tây Hồ", "IV.1", 3, "46", 30000, "chiếc", "Nón lá Huế."),
    # Essential oils (III.3)
    ("Tinh dầu quế Văn Yên", "III.3", 4, "15", 5000, "lít", "Tinh dầu quế nguyên chất."),
    ("Tinh dầu sả chanh", "III.3", 3, "56", 3000, "lít", "Tinh dầu sả chanh."),
    ("Tinh dầu tràm Huế", "III.3", 4, "46", 4000, "lít", "Tinh dầu tràm."),
    ("Tinh dầu bưởi Đoan Hùng", "III.3", 3, "25", 2000, "lít", "Tinh dầu vỏ bưởi."),
    ("Tinh dầu quế Trà My", "III.3", 3, "48", 3000, "lít", "Tinh dầu quế."),
]

DEMANDS = [
    {
        "title": "Cần mua mật ong rừng, mật ong hoa",
        "description": "Siêu thị cần mật ong nguyên chất, ổn định hằng tháng.",
        "category": "I.2.b", "min_stars": 3, "quantity": 500, "unit": "kg", "frequency": "monthly", "province": "01",
        "relevant": ["Mật ong rừng Tây Bắc", "Mật ong bạc hà Mèo Vạc", "Mật ong hoa nhãn Hưng Yên",
                     "Mật ong hoa cà phê Đắk Lắk", "Mật ong hoa vải Lục Ngạn", "Mật ong rừng U Minh"],
    },
    {
        "title": "Tìm nhà cung cấp gạo đặc sản",
        "description": "Gạo thơm, gạo nếp, gạo vùng cao cho chuỗi cửa hàng.",
        "category": "I.2.a", "min_stars": 4, "quantity": 10, "unit": "tấn", "frequency": "monthly", "province": "79",
        "relevant": ["Gạo ST25 Sóc Trăng", "Gạo nếp cái hoa vàng Đông Triều", "Gạo Séng Cù Mường Khương",
                     "Gạo lứt đỏ hữu cơ Điện Biên"],
    },
    {
        "title": "Cần mua chè xanh, chè búp Thái Nguyên",
        "description": "Trà xanh chất lượng cao, đạt VietGAP.",
        "category": None, "min_stars": 3, "quantity": 2000, "unit": "kg", "frequency": "quarterly", "province": "01",
        "certifications": "VietGAP",
        "relevant": ["Chè Tân Cương Thái Nguyên", "Chè Thái Nguyên đặc biệt", "Chè búp Phú Thọ", "Trà xanh Mộc Châu",
                     "Chè Shan tuyết Suối Giàng", "Hồng trà Hà Giang"],
    },
    {
        "title": "Cần mua cà phê Arabica và Robusta",
        "description": "Cà phê nhân và cà phê rang xay cho quán.",
        "category": "I.6", "min_stars": 3, "quantity": 1000, "unit": "kg", "frequency": "monthly", "province": "79",
        "relevant": ["Cà phê Robusta Buôn Ma Thuột", "Cà phê Arabica Cầu Đất", "Cà phê rang xay Khe Sanh",
                     "Cà phê Robusta Gia Lai", "Cà phê Arabica Sơn La"],
    },
    {
        "title": "Nước mắm truyền thống cho siêu thị",
        "description": "Cần nước mắm cá cơm, nước mắm cốt.",
        "category": "I.4.a", "min_stars": 3, "quantity": 5000, "unit": "lít", "frequency": "monthly", "province": "01",
        "relevant": ["Nước mắm Phú Quốc", "Nước mắm truyền thống Cửa Lò", "Nước mắm cốt Cát Hải", "Nước mắm Nam Ô",
                     "Nước mắm Phan Thiết"],
    },
    {
        "title": "Cần mua miến dong số lượng lớn",
        "description": "Miến dong sạch cho bếp ăn tập thể.",
        "category": None, "min_stars": 3, "quantity": 20, "unit": "tấn", "frequency": "yearly", "province": "01",
        "relevant": ["Miến dong Bình Liêu", "Miến dong Nguyên Bình", "Miến dong Việt Cường", "Miến dong Na Rì",
                     "Miến dong Phia Đén"],
    },
    {
        "title": "Tìm nguồn cam sạch",
        "description": "Cam sành, cam Cao Phong, cam Vinh cho hệ thống bán lẻ.",
        "category": "I.1.a", "min_stars": 3, "quantity": 30, "unit": "tấn", "frequency": "monthly", "province": "01",
        "relevant": ["Cam sành Hàm Yên", "Cam Cao Phong", "Cam Vinh Nghệ An", "Cam Văn Chấn", "Cam sành Vĩnh Long"],
    },
    {
        "title": "Cần mua hàng mây tre đan xuất khẩu",
        "description": "Giỏ, khay, đèn mây tre đan thủ công.",
        "category": "IV.1", "min_stars": 3, "quantity": 5000, "unit": "chiếc", "frequency": "quarterly",
        "province": "79",
        "relevant": ["Mây tre đan Phú Vinh", "Giỏ mây tre đan Quảng Nam", "Mây tre đan Ninh Sở",
                     "Khay mây tre đan Thái Bình", "Đèn mây tre đan Hội An"],
    },
    {
        "title": "Cần mua tinh dầu quế, tinh dầu thiên nhiên",
        "description": "Tinh dầu nguyên chất cho spa.",
        "category": "III.3", "min_stars": 3, "quantity": 200, "unit": "lít", "frequency": "monthly", "province": "48",
        "relevant": ["Tinh dầu quế Văn Yên", "Tinh dầu quế Trà My", "Tinh dầu sả chanh", "Tinh dầu tràm Huế",
                     "Tinh dầu bưởi Đoan Hùng"],
    },
    {
        "title": "Mat ong hoa 4 sao tro len",
        "description": "khong dau: can mat ong chat luong cao",
        "category": None, "min_stars": 4, "quantity": 300, "unit": "kg", "frequency": "monthly", "province": "01",
        "relevant": ["Mật ong rừng Tây Bắc", "Mật ong bạc hà Mèo Vạc", "Mật ong hoa vải Lục Ngạn"],
    },
]  # fmt: skip
