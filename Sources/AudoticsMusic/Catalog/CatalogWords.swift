/// The word lists the demo catalog is made from: names and titles that read like a real catalog.
enum CatalogWords {
    static let genres = [
        "pop", "rock", "indie", "hip-hop", "r&b", "electronic", "house", "techno", "jazz", "blues", "soul", "funk",
        "country", "folk", "classical", "metal", "punk", "reggae", "latin", "k-pop", "ambient", "disco", "gospel",
        "soundtrack",
    ]

    /// Genres that sit well together, by genre: an artist's second and third genres come from here.
    static let neighbours: [String: [String]] = [
        "pop": ["r&b", "electronic", "indie", "k-pop", "disco"], "rock": ["indie", "metal", "punk", "blues", "folk"],
        "indie": ["rock", "pop", "folk", "electronic"], "hip-hop": ["r&b", "soul", "funk", "electronic"],
        "r&b": ["soul", "pop", "hip-hop", "funk"], "electronic": ["house", "techno", "ambient", "pop"],
        "house": ["electronic", "techno", "disco"], "techno": ["electronic", "house", "ambient"],
        "jazz": ["blues", "soul", "funk", "classical"], "blues": ["jazz", "rock", "soul", "gospel"],
        "soul": ["r&b", "funk", "gospel", "jazz"], "funk": ["soul", "disco", "hip-hop", "jazz"],
        "country": ["folk", "rock", "blues"], "folk": ["indie", "country", "rock"],
        "classical": ["soundtrack", "ambient", "jazz"], "metal": ["rock", "punk"], "punk": ["rock", "metal", "indie"],
        "reggae": ["latin", "hip-hop", "soul"], "latin": ["pop", "reggae", "disco"],
        "k-pop": ["pop", "electronic", "r&b"], "ambient": ["electronic", "classical", "soundtrack"],
        "disco": ["funk", "house", "pop"], "gospel": ["soul", "blues"], "soundtrack": ["classical", "ambient"],
    ]

    static let firstNames = [
        "Ada", "Alba", "Amara", "Ana", "Arlo", "Aurora", "Beatriz", "Bo", "Caleb", "Camila", "Chiara", "Dara",
        "Diego", "Elif", "Elio", "Emeka", "Esme", "Ezra", "Farah", "Felix", "Freya", "Hana", "Idris", "Ines",
        "Isak", "Jade", "Jonas", "Joon", "Kaia", "Kenji", "Lars", "Leila", "Lena", "Luca", "Lucía", "Maeve",
        "Malik", "Marta", "Mateo", "Mila", "Nadia", "Nico", "Noor", "Oren", "Otto", "Priya", "Rafael", "Rosa",
        "Ruben", "Saoirse", "Selin", "Soren", "Tariq", "Thea", "Tomás", "Uma", "Vera", "Wren", "Yara", "Zoë",
        "Björn", "Chloé", "Dmitri", "Émile", "Gaël", "Håkon", "Jürgen", "Mónica", "Renée", "Søren",
    ]

    static let lastNames = [
        "Abara", "Alves", "Andersen", "Bakker", "Banerjee", "Becker", "Calloway", "Castro", "Costa", "Dalton",
        "Duarte", "Eriksen", "Fontaine", "Fujita", "García", "Grant", "Haddad", "Hale", "Ito", "Jansen", "Kaur",
        "Keller", "Kowalski", "Lindqvist", "López", "Marsh", "Mendes", "Moreau", "Nakamura", "Navarro", "Novak",
        "Okafor", "Olsen", "Park", "Quinn", "Reyes", "Rossi", "Sato", "Schmidt", "Silva", "Sokolov", "Stone",
        "Takahashi", "Vance", "Varga", "Walsh", "Weber", "Yilmaz", "Zhou", "Zimmermann", "Ó Briain", "Núñez",
    ]

    static let adjectives = [
        "Silver", "Golden", "Velvet", "Electric", "Midnight", "Neon", "Crimson", "Hollow", "Paper", "Glass",
        "Wild", "Quiet", "Lonely", "Burning", "Frozen", "Broken", "Secret", "Endless", "Distant", "Blue",
        "Scarlet", "Gentle", "Restless", "Falling", "Rising", "Fading", "Hidden", "Lucky", "Little", "Sweet",
        "Bitter", "Strange", "Tender", "Savage", "Dusty", "Misty", "Northern", "Southern", "Eastern", "Western",
        "Cosmic", "Lunar", "Solar", "Crystal", "Copper", "Iron", "Wooden", "Sleepless", "Weightless", "Borrowed",
    ]

    static let nouns = [
        "Heart", "River", "Sky", "Fire", "Rain", "Road", "Dream", "Light", "Shadow", "Ocean", "Mountain", "City",
        "Garden", "Summer", "Winter", "Morning", "Night", "Star", "Moon", "Sun", "Wave", "Wind", "Storm",
        "Echo", "Mirror", "Window", "Door", "Bridge", "Harbor", "Highway", "Satellite", "Signal", "Radio",
        "Letter", "Promise", "Memory", "Ghost", "Angel", "Stranger", "Lover", "Dancer", "Machine", "Engine",
        "Orchard", "Desert", "Island", "Valley", "Forest", "Lantern", "Compass", "Horizon", "Thunder", "Honey",
    ]

    static let pluralNouns = [
        "Wolves", "Foxes", "Ravens", "Sparrows", "Tigers", "Lions", "Horses", "Kings", "Queens", "Strangers",
        "Dreamers", "Drifters", "Pilots", "Sailors", "Saints", "Ghosts", "Machines", "Satellites", "Lanterns",
        "Rivers", "Mountains", "Echoes", "Shadows", "Hearts", "Comets", "Giants", "Orchids", "Owls", "Bees",
    ]

    static let verbs = [
        "Running", "Dancing", "Falling", "Waiting", "Dreaming", "Calling", "Burning", "Chasing", "Holding",
        "Leaving", "Breaking", "Flying", "Drifting", "Singing", "Shining", "Wandering", "Fading", "Coming",
    ]

    static let places = [
        "Lisbon", "Berlin", "Tokyo", "Lagos", "Memphis", "Havana", "Oslo", "Seoul", "Nairobi", "Marseille",
        "Kyoto", "Dublin", "Montréal", "São Paulo", "Reykjavík", "Istanbul", "Brooklyn", "Kingston", "Detroit",
    ]

    static let countryCodes = ["US", "GB", "DE", "FR", "SE", "JP", "KR", "BR", "NG", "CA", "ES", "IT", "NL", "AU"]
}
