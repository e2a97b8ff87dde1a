"""English notes about skincare, fashion, fitness and home."""

from __future__ import annotations

from redleaf.demo.texts.writing import Writing

WRITINGS: dict[str, Writing] = {
    "routine": Writing(
        titles=(
            "My {time} skincare routine, honestly",
            "A simple routine that fixed my skin ✨",
            "Skincare for lazy people (me)",
            "5 steps, 5 minutes: my routine",
        ),
        body=(
            (
                "People keep asking about my {time} routine, so here it is. Nothing fancy, "
                "just consistent.",
                "I used to do ten steps. Now I do five and my skin has never been calmer.",
                "Updated routine now that the weather's changed 🍂",
            ),
            (
                "1️⃣ Gentle cleanser  2️⃣ Hydrating toner  3️⃣ {active} serum  4️⃣ Moisturiser  "
                "5️⃣ Sunscreen (mornings, every single day).",
                "Cleanse, pat on a watery essence, {active} on dry skin, then a barrier cream. "
                "That's it.",
                "Double cleanse at night, then {active} three nights a week and a simple "
                "moisturiser on the others.",
            ),
            (
                "The biggest change came from cutting back, not adding more products.",
                "Patch test anything new behind your ear for a few days first!",
                "Give anything at least 4 weeks before deciding if it works.",
            ),
            (
                "What's one product you'd never give up? 👇",
                "Not sponsored, just what works for my combination skin.",
                "Happy to answer questions in the comments 💬",
            ),
        ),
        tags=("skincare", "skincareroutine", "glowingskin", "selfcare", "beauty", "{active_tag}"),
        words={
            "time": ("morning", "night", "winter", "5-minute"),
            "active": ("vitamin C", "niacinamide", "retinol", "hyaluronic acid"),
            "active_tag": ("vitaminc", "niacinamide", "retinol", "hydration"),
        },
    ),
    "sunscreen": Writing(
        titles=(
            "Sunscreen that doesn't feel like sunscreen",
            "I tested 6 sunscreens so you don't have to",
            "Wear sunscreen. Yes, indoors too ☀️",
            "The SPF I finished 4 bottles of",
        ),
        body=(
            (
                "If you do one thing for your skin, make it sunscreen. Here's what I've tried "
                "this summer.",
                "Four bottles in and I'm still not bored of this one.",
                "PSA: UV comes through windows. Sunscreen is an indoor thing too.",
            ),
            (
                "My favourite is a light, watery SPF50 that leaves no white cast and works "
                "under makeup.",
                "The gel ones dry down fastest, the milky ones are better if your skin is dry.",
                "Use about two finger lengths for face and neck, and reapply if you're outside.",
            ),
            (
                "Chemical filters felt best for me, but sensitive skin may prefer mineral.",
                "Pilling? Let your moisturiser sink in for a couple of minutes first.",
                "",
            ),
            (
                "Drop your holy grail SPF below 👇",
                "Not sponsored, bought everything myself.",
                "Your future self will thank you 🧴",
            ),
        ),
        tags=("sunscreen", "spf", "skincare", "skincaretips", "beauty", "summer"),
    ),
    "sensitive": Writing(
        titles=(
            "How I calmed my sensitive skin 🌿",
            "Barrier repair: what finally worked",
            "Red, itchy, tight? Read this",
            "Three products saved my skin barrier",
        ),
        body=(
            (
                "Last winter my face was red and stinging from basically everything. Here's "
                "how I got it back.",
                "If your skin burns when you put on moisturiser, your barrier needs help.",
                "Six months of barrier repair, summarised.",
            ),
            (
                "I stopped all acids and retinol, switched to a low-pH cleanser and used a "
                "ceramide cream morning and night.",
                "Less is more: cleanser, one soothing serum with panthenol, a thick cream. "
                "Nothing with fragrance.",
                "Lukewarm water only, pat dry, no scrubbing. It sounds obvious but it matters.",
            ),
            (
                "It took about five weeks before I saw a real difference.",
                "If it doesn't improve, please see a dermatologist 🙏",
                "",
            ),
            (
                "Fellow sensitive-skin people, what worked for you?",
                "Be patient with your skin, it's doing its best.",
                "Saving this for the next flare-up.",
            ),
        ),
        tags=("sensitiveskin", "skinbarrier", "skincare", "ceramides", "skincaretips", "beauty"),
    ),
    "makeup": Writing(
        titles=(
            "Lip swatches: my 5 everyday shades 💄",
            "The lipstick I'd repurchase forever",
            "Autumn lip colours for warm tones",
            "Finding your perfect nude",
        ),
        body=(
            (
                "Swatched my everyday lip colours so you can see them in daylight.",
                "Someone asked what I wear every day, so here are my five most used shades.",
                "Warm undertone here. These are the shades that work on me.",
            ),
            (
                "From top: a soft rose, a brick red, a peachy nude, a warm brown and a deep "
                "berry for evenings.",
                "The satin ones are comfortable all day. The matte ones need a lip balm first.",
                "Blot once and the colour lasts through lunch, which is all I ask.",
            ),
            (
                "Tip: dab a little on your cheeks as blush for a matching look.",
                "Swatches in natural light, no filter.",
                "",
            ),
            (
                "Which one's your favourite?",
                "What should I swatch next?",
                "Not sponsored 💋",
            ),
        ),
        tags=("makeup", "lipstick", "swatches", "beauty", "makeuplook", "everydaymakeup"),
    ),
    "ootd": Writing(
        titles=(
            "OOTD: easy {season} look 🤍",
            "What I wore this week in {city}",
            "One jacket, three outfits",
            "Petite friendly {season} outfit",
        ),
        body=(
            (
                "Today's outfit for a long day of walking around {city}.",
                "Comfortable, warm enough, and I still felt put together. That's the dream.",
                "Simple outfits are my favourite, it's all about the fit.",
            ),
            (
                "Oversized knit, straight-leg trousers, white sneakers and a small shoulder "
                "bag. Gold hoops to finish.",
                "A neutral tee tucked into wide trousers, a long coat and loafers. Done in "
                "five minutes.",
                "I'm 160cm, so high-waisted bottoms and cropped tops are my best friends.",
            ),
            (
                "Colours: cream, camel and a bit of denim blue. Hard to get wrong.",
                "Most pieces are a few years old. Rewearing is the most stylish thing you can do.",
                "",
            ),
            (
                "Would you wear this?",
                "Asking for outfit ideas for next week 👇",
                "Details in the comments if you ask!",
            ),
        ),
        tags=("ootd", "outfitideas", "fashion", "{season}style", "everydaystyle", "petitestyle"),
        words={"season": ("autumn", "winter", "spring", "summer")},
    ),
    "capsule": Writing(
        titles=(
            "My capsule wardrobe: 24 pieces",
            "How I stopped buying clothes I don't wear",
            "Closet clear-out, before and after",
            "Thrifted everything on this rail 🧥",
        ),
        body=(
            (
                "I counted everything on my rail: 24 pieces, and I can make a month of "
                "outfits from them.",
                "Spent the weekend clearing my closet and donated three bags. I feel lighter.",
                "Everything on this rail is second-hand. Thrifting is my favourite hobby.",
            ),
            (
                "The rule: every piece has to go with at least three others. Neutrals, a "
                "couple of colours, good fabrics.",
                "Basics that work hard: a trench, a good knit, straight jeans, a white shirt "
                "and a dress you can dress up or down.",
                "I keep one box for out-of-season clothes and swap it twice a year.",
            ),
            (
                "Before buying anything, I wait a week. Half the time I forget about it.",
                "",
            ),
            (
                "Anyone else trying a capsule wardrobe?",
                "What's the piece you wear most?",
                "Less stuff, more outfits 🤍",
            ),
        ),
        tags=("capsulewardrobe", "fashion", "minimalism", "thrifting", "slowfashion", "closet"),
    ),
    "workout": Writing(
        titles=(
            "20-minute home workout, no equipment",
            "How I started working out at home 💪",
            "Dumbbells only: full body in 30 min",
            "My weekly training plan",
        ),
        body=(
            (
                "No gym, no excuses. Here's the workout I do in my living room.",
                "Six months of training at home and I'm stronger than ever.",
                "Saving this for the days I don't feel like going out.",
            ),
            (
                "3 rounds: 15 squats, 10 push-ups, 20 lunges, 30s plank, 12 dumbbell rows. "
                "Rest 60s between rounds.",
                "Mon legs, Wed upper body, Fri full body, and a long walk at the weekend.",
                "Start with what you can do with good form, then add reps each week.",
            ),
            (
                "Protein at every meal and sleep eight hours. The boring stuff works.",
                "Warm up for five minutes, your knees will thank you.",
                "",
            ),
            (
                "Who's joining me this week?",
                "Let me know if you try it!",
                "Small steps every day 🔥",
            ),
        ),
        tags=("homeworkout", "fitness", "workout", "strengthtraining", "fitnessjourney", "health"),
    ),
    "yoga": Writing(
        titles=(
            "Morning yoga in the sun 🧘",
            "15 minutes of yoga changed my mornings",
            "Yoga for tight hips and desk backs",
            "My little yoga corner",
        ),
        body=(
            (
                "I've done fifteen minutes of yoga every morning for 60 days. Here's what changed.",
                "Made a little yoga corner by the window and now I actually use it.",
                "If you sit at a desk all day, this one's for you.",
            ),
            (
                "Cat-cow, downward dog, low lunge, pigeon, child's pose. Five breaths each.",
                "The sun hits the floor at 7:30 so that's when I roll out the mat ☀️",
                "I follow a short video, nothing fancy, and finish with two minutes of breathing.",
            ),
            (
                "My back pain is almost gone and I sleep better.",
                "Go gently, yoga is not a competition.",
                "",
            ),
            (
                "Morning people or evening people?",
                "Join me tomorrow?",
                "Breathe in, breathe out 🌿",
            ),
        ),
        tags=("yoga", "morningroutine", "wellness", "stretching", "selfcare", "homeworkout"),
    ),
    "running": Writing(
        titles=(
            "Sunrise run along {place} 🏃",
            "From couch to 10k in 12 weeks",
            "Running in {city}: my favourite route",
            "Why I run before work",
        ),
        body=(
            (
                "Got up at 5:45 for a sunrise run and the sky did not disappoint.",
                "A year ago I couldn't run for five minutes. This morning I ran 10k.",
                "New city, new running route. {city} is great for runners.",
            ),
            (
                "The loop along {place} is about 8km, flat, with water fountains on the way.",
                "Easy pace, headphones in, no watch checking. Running became my favourite "
                "part of the day.",
                "I run three times a week: one long slow run, one short fast one, one easy.",
            ),
            (
                "👟 Good shoes matter more than any gadget.",
                "🌡️ In summer go before 7am, it gets hot fast.",
                "",
            ),
            (
                "Runners, where do you love to run?",
                "Anyone training for a race this season?",
                "Run happy 🧡",
            ),
        ),
        tags=("running", "morningrun", "{city_tag}", "fitness", "runner", "sunrise"),
    ),
    "room": Writing(
        titles=(
            "Rental living room makeover 🛋️",
            "Cosy living room on a small budget",
            "Before & after: my tiny flat",
            "Making a rental feel like home",
        ),
        body=(
            (
                "Can't paint, can't drill, still wanted it to feel like mine. Here's what I did.",
                "A few small changes and my living room finally feels cosy.",
                "Spent about {price} and one weekend on this makeover.",
            ),
            (
                "Warm lamps instead of the ceiling light, a big rug, cushions in two colours "
                "and a lot of plants.",
                "A second-hand sofa, a throw blanket and a framed print leaning on the wall "
                "(no nails needed!).",
                "The floor lamp made the biggest difference. Warm light changes everything.",
            ),
            (
                "Removable hooks and leaning frames are a renter's best friend.",
                "",
            ),
            (
                "What should I do with the bedroom next?",
                "Cosy season is here 🕯️",
                "Sources in the comments if you want them.",
            ),
        ),
        tags=("homedecor", "rentalmakeover", "cosyhome", "livingroom", "interiordesign", "home"),
    ),
    "plants": Writing(
        titles=(
            "Plant care for beginners 🪴",
            "My monstera finally split its leaves!",
            "Plants that survive my forgetfulness",
            "Plant shelfie Sunday",
        ),
        body=(
            (
                "Forty-seven plants and counting. Here's what I've learned keeping them alive.",
                "My monstera grew a new leaf with splits and I'm unreasonably proud.",
                "People always ask which plants are easy. Here's my list.",
            ),
            (
                "Pothos, snake plant, ZZ plant and peace lily. All forgive missed waterings.",
                "Water when the top few centimetres of soil are dry, not on a schedule.",
                "Bright, indirect light. Most plants hate a hot window in summer.",
            ),
            (
                "Overwatering kills more plants than forgetting.",
                "",
            ),
            (
                "Show me your plants 👇",
                "Plant people, any tips?",
                "Green therapy 🌿",
            ),
        ),
        tags=("plants", "plantcare", "houseplants", "monstera", "urbanjungle", "home"),
    ),
    "desk": Writing(
        titles=(
            "My work-from-home desk setup 💻",
            "A calmer desk for better focus",
            "Study desk tour ✍️",
            "Small desk, big productivity",
        ),
        body=(
            (
                "Working from home three days a week, so I finally made a desk I enjoy sitting at.",
                "Desk tour, because a few of you asked!",
                "Cleared everything off my desk and only put back what I use.",
            ),
            (
                "Laptop on a stand, a paper notebook for to-do lists, a mug of tea and one "
                "little plant.",
                "I write my three most important tasks on paper every morning. Game changer.",
                "Natural light from the side, a warm lamp for evenings, and nothing else.",
            ),
            (
                "Fewer things on the desk, fewer distractions.",
                "",
            ),
            (
                "What's on your desk right now?",
                "Productive week, everyone ✨",
                "Let me know if you want links.",
            ),
        ),
        tags=("desksetup", "workfromhome", "productivity", "studywithme", "minimalism", "home"),
    ),
}
