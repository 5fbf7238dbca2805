"""Word pools for realistic, deterministic demo data (seed_demo and the test factories)."""

from __future__ import annotations

# Product stems per criteria-set leaf of the 148 classification, with a unit and a price band (VND).
PRODUCT_STEMS: dict[str, tuple[list[str], str, int, int]] = {
    "I.1.a": (["Cam sành", "Bưởi Diễn", "Nhãn lồng", "Vải thiều", "Na dai", "Thanh long ruột đỏ", "Xoài cát Hòa Lộc",
               "Chuối ngự", "Dưa lưới", "Rau cải mèo", "Su su", "Hồng không hạt", "Mận hậu", "Sầu riêng Ri6",
               "Măng cụt", "Dứa Queen", "Khoai lang mật", "Bơ sáp"], "kg", 30000, 180000),
    "I.1.b": (["Trứng gà ác", "Thịt lợn đen", "Gà đồi", "Cá chép giòn", "Tôm càng xanh", "Bò vàng",
               "Sữa tươi", "Vịt bầu", "Ngao trắng", "Cua đồng"], "kg", 40000, 450000),
    "I.2.a": (["Gạo ST25", "Gạo nếp cái hoa vàng", "Gạo Séng Cù", "Gạo lứt đỏ", "Gạo tám thơm", "Ngô nếp",
               "Lạc đỏ", "Đậu tương", "Gạo Bao Thai", "Nếp Tú Lệ"], "kg", 25000, 90000),
    "I.2.b": (["Mật ong bạc hà", "Mật ong hoa nhãn", "Mật ong rừng", "Mật ong hoa cà phê", "Mật ong hoa vải",
               "Mật mía", "Mật hoa dừa"], "chai 500 ml", 150000, 450000),
    "I.3.a": (["Bánh mì que", "Nem chua", "Chả cốm", "Xúc xích", "Bún chả đóng gói"], "gói", 20000, 120000),
    "I.3.b": (["Bánh chưng", "Miến dong", "Bún khô", "Phở khô", "Bánh đa nem", "Bánh cuốn", "Bánh tẻ",
               "Bánh phu thê", "Cốm làng Vòng", "Bánh gai", "Bánh cáy", "Bánh đậu xanh", "Mì gạo"], "gói", 25000, 150000),
    "I.3.c": (["Đậu phụ", "Mứt gừng", "Ô mai mơ", "Vải sấy khô", "Chuối sấy dẻo", "Hạt điều rang muối",
               "Mít sấy", "Măng khô", "Tương ớt", "Dưa cải muối", "Khoai lang sấy"], "hộp", 35000, 250000),
    "I.3.d": (["Giò lụa", "Chả mực", "Lạp xưởng", "Thịt trâu gác bếp", "Ruốc cá hồi", "Chà bông",
               "Cá khô", "Tôm khô", "Mắm tôm chua", "Sữa chua"], "hộp", 50000, 600000),
    "I.4.a": (["Nước mắm cốt", "Nước mắm truyền thống", "Tương bần", "Tương Nam Đàn", "Nước tương"],
              "chai 500 ml", 30000, 180000),
    "I.4.b": (["Muối tôm", "Tỏi cô đơn", "Hạt tiêu đen", "Muối ớt", "Hành tím", "Sả khô", "Quế thanh",
               "Hồi khô", "Gừng bột"], "hũ", 25000, 150000),
    "I.5.a": (["Chè Shan tuyết", "Chè Tân Cương", "Chè búp", "Trà xanh", "Chè Thái Nguyên", "Hồng trà",
               "Trà ô long"], "hộp 200 g", 120000, 900000),
    "I.5.b": (["Trà hoa vàng", "Trà atiso", "Trà túi lọc diệp hạ châu", "Trà gừng", "Trà hoa cúc", "Trà mướp đắng",
               "Trà hà thủ ô"], "hộp", 60000, 400000),
    "I.6": (["Cà phê Robusta", "Cà phê Arabica", "Cà phê rang xay", "Ca cao nguyên chất", "Sô cô la"],
            "gói 500 g", 90000, 450000),
    "II.1.a": (["Rượu Làng Vân", "Rượu ngô men lá", "Rượu nếp cái hoa vàng", "Rượu Bàu Đá", "Rượu sim"],
               "chai 500 ml", 80000, 400000),
    "II.1.b": (["Rượu vang sim", "Rượu mơ", "Rượu táo mèo", "Rượu nho", "Rượu đinh lăng"], "chai 750 ml", 150000, 800000),
    "II.2.a": (["Nước khoáng thiên nhiên", "Nước uống đóng chai", "Nước suối khoáng"], "thùng", 60000, 150000),
    "II.2.b": (["Nước cốt gừng", "Nước ép chanh leo", "Siro dâu tằm", "Nước dừa đóng chai", "Sữa đậu nành"],
               "chai", 20000, 90000),
    "III.1": (["Cao atiso", "Viên tinh nghệ mật ong", "Cao ích mẫu", "Đông trùng hạ thảo", "Cao xương khớp"],
              "hộp", 150000, 1200000),
    "III.2": (["Dầu gội bồ kết", "Xà phòng thảo dược", "Son dưỡng sáp ong", "Nước súc miệng thảo dược"],
              "chai", 60000, 300000),
    "III.3": (["Tinh dầu quế", "Tinh dầu sả chanh", "Tinh dầu tràm", "Tinh dầu bưởi", "Dược liệu túi xông"],
              "lọ 10 ml", 50000, 250000),
    "IV.1": (["Mây tre đan", "Gốm Bát Tràng", "Nón lá", "Chiếu cói", "Đồ gỗ mỹ nghệ", "Tranh Đông Hồ",
              "Giỏ lục bình", "Sơn mài"], "chiếc", 50000, 3000000),
    "IV.2": (["Thổ cẩm", "Lụa tơ tằm", "Khăn lanh", "Áo dài lụa", "Túi thổ cẩm"], "chiếc", 150000, 2500000),
    "V.1": (["Hoa đào Nhật Tân", "Hoa lan hồ điệp", "Hoa cúc", "Hoa hồng", "Hoa ly"], "chậu", 100000, 2000000),
    "V.2": (["Cây bonsai", "Quất cảnh", "Cây mai vàng", "Cây sanh", "Cây cảnh mini"], "cây", 200000, 5000000),
    "V.3": (["Cá Koi", "Chim chào mào", "Gà tre cảnh", "Cá cảnh"], "con", 100000, 3000000),
    "VI.1": (["Du lịch cộng đồng", "Điểm du lịch sinh thái", "Homestay bản", "Làng nghề trải nghiệm"],
             "lượt", 100000, 1500000),
}  # fmt: skip

PRODUCER_PREFIXES = {
    "enterprise": ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"],
    "cooperative": ["Hợp tác xã", "HTX Nông nghiệp", "HTX Dịch vụ nông nghiệp"],
    "cooperative_group": ["Tổ hợp tác"],
    "household": ["Hộ kinh doanh", "Cơ sở sản xuất"],
}
PRODUCER_WORDS = [
    "An Phát", "Bình Minh", "Hoàng Gia", "Sơn Thủy", "Phú Quý", "Thành Đạt", "Tân Tiến", "Đồng Xanh",
    "Hương Quê", "Làng Nghề", "Ngọc Linh", "Hải Đăng", "Mộc Sơn", "Xanh Việt", "Đất Việt", "Trường Sơn",
    "Bảo Ngọc", "Kim Long", "Suối Giàng", "Tài Hoan", "Tranh Khúc", "Đồng Văn", "Vân Hồ", "Hòa Bình",
    "Thịnh Vượng", "Hưng Thịnh", "Nông sản sạch", "Tây Bắc", "Cửu Long", "Miền Quê", "Sen Hồng", "Cao Nguyên",
]  # fmt: skip
PRODUCT_QUALIFIERS = ["", "", "", "", " đặc biệt", " hữu cơ", " truyền thống", " cao cấp", " loại 1", " sạch"]
STORY_LINES = [
    "Sản phẩm được làm theo công thức gia truyền của làng nghề hơn một trăm năm tuổi.",
    "Nguyên liệu được thu hái tại địa phương, chế biến thủ công và kiểm soát chất lượng theo từng lô.",
    "Chủ thể liên kết với các hộ nông dân trong xã, bao tiêu sản phẩm và tạo việc làm cho lao động địa phương.",
    "Sản phẩm gắn với câu chuyện văn hóa của đồng bào vùng cao, được du khách ưa chuộng làm quà biếu.",
    "Quy trình sản xuất đạt chứng nhận VietGAP; bao bì có mã QR truy xuất nguồn gốc.",
]

# People's names for demo contacts: common family names, middle names and given names.
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
                "Dương", "Lý", "Đinh", "Lò", "Hà", "Triệu"]  # fmt: skip
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Kim", "Công"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
               "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng",
               "Trang", "Tuấn", "Vân", "Yến", "Đào", "Đạt"]  # fmt: skip
